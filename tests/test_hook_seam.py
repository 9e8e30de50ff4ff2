"""Hooks talk only to the build session: no renderer internals, no per-build module state,
priorities from carekb/build/order.py; and the session's page facts are queries worked out once."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from markupsafe import Markup

from carekb.build import order, session
from carekb.model.facts import Facts

REPO = Path(__file__).resolve().parent.parent
HOOKS = sorted((REPO / "hooks").glob("*.py"))
# Names a hook module may bind at module level besides UPPER_CASE constants and imports.
ALLOWED_MODULE_NAMES = {"log"}
# hooks/atomic.py: `on_startup` runs before any build session exists and its stage outlives
# the session until `on_shutdown`, so its state is one per-process object (documented there).
PER_PROCESS = {("atomic.py", "_run")}
INTERNALS = {"renderer", "registry"}  # the theme's own env.globals is the hooks' to fill


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _bound_names(node: ast.stmt) -> list[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]


@pytest.mark.parametrize("path", HOOKS, ids=lambda p: p.name)
def test_hook_module_keeps_no_per_build_state(path: Path) -> None:
    """Module level: imports, functions, constants (immutable values), the logger; no
    `global` anywhere. State of one build lives on the session."""
    tree = _tree(path)
    problems = []
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            for name in _bound_names(node):
                if (path.name, name) in PER_PROCESS or name in ALLOWED_MODULE_NAMES:
                    continue
                mutable = isinstance(node.value, (ast.List, ast.Dict, ast.Set, ast.ListComp,
                                                  ast.DictComp, ast.SetComp))
                if not name.isupper() or mutable:
                    problems.append(f"line {node.lineno}: module-level {name}")
    problems += [f"line {n.lineno}: global {', '.join(n.names)}"
                 for n in ast.walk(tree) if isinstance(n, ast.Global)]
    assert problems == [], f"{path.name}: per-build state belongs on the session: {problems}"


@pytest.mark.parametrize("path", HOOKS, ids=lambda p: p.name)
def test_hook_module_does_not_reach_into_the_renderer(path: Path) -> None:
    used = [f"line {n.lineno}: .{n.attr}" for n in ast.walk(_tree(path))
            if isinstance(n, ast.Attribute) and n.attr in INTERNALS]
    assert used == [], f"{path.name}: use the session's methods instead: {used}"


@pytest.mark.parametrize("path", HOOKS, ids=lambda p: p.name)
def test_event_priorities_are_named_in_carekb_order(path: Path) -> None:
    """Every @event_priority(...) names a constant of carekb/build/order.py (one comment, one order)."""
    names = {n for n in vars(order) if n.isupper()}
    wrong = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "event_priority":
            arg = node.args[0] if node.args else None
            if not (isinstance(arg, ast.Attribute) and getattr(arg.value, "id", None) == "order"
                    and arg.attr in names):
                wrong.append(f"line {node.lineno}: {ast.unparse(node)}")
    assert wrong == []


def test_order_constants_run_in_the_documented_order() -> None:
    documented = ["FIRST", "EARLY", "RENDER", "AFTER_RENDER", "DEFAULT", "LATE", "CHECKS",
                  "LAST", "REPORT"]
    values = [getattr(order, name) for name in documented]
    assert values == sorted(values, reverse=True) and len(set(values)) == len(values)
    assert order.DEFAULT == 0  # a hook without @event_priority runs at MkDocs' default


# -- page facts ---------------------------------------------------------------------------
def _page(meta: dict | None = None, title: str | None = None, content: str | None = None):
    return SimpleNamespace(meta=meta or {}, title=title, content=content)


def test_page_title_is_known_once_the_page_is_rendered(facts: Facts) -> None:
    started = session.start(facts, audience="public")
    pages = {"a.md": _page(title="Page A"), "b.md": _page(title="Page B", content="<p>b</p>")}
    started.use_pages(pages.get)
    assert started.page_title("a.md") is None  # not rendered yet
    assert started.page_title("b.md") == "Page B"
    assert started.page_title("nowhere.md") is None
    # hooks/titles.py escapes titles for the theme once all are rendered; the session's stays plain.
    pages["d.md"] = _page(title=Markup("Costs &amp; &lt;fees&gt;"), content="<p>d</p>")
    assert started.page_title("d.md") == "Costs & <fees>"
    # The sources page labels its links with the titles the session knows.
    started.render("a.md", "x")
    assert started.render("c.md", '{{ page_link("b.md") }} {{ page_link("a.md") }}') \
        == "[Page B](b.md) [a.md](a.md)"


def test_review_dates_are_worked_out_once_from_usage_and_front_matter(facts: Facts) -> None:
    started = session.start(facts, audience="public")
    pages = {"own.md": _page({"reviewed": "2020-01-02"}), "bad.md": _page({"reviewed": "soon"}),
             "none.md": _page(), "facts.md": _page({"reviewed": dt.date(2099, 1, 1)})}
    started.use_pages(pages.get)
    for src in pages:
        started.render(src, "{{ levels.iop.name }}" if src == "facts.md" else "plain")
    own = started.review_dates("own.md")
    assert (own.reviewed, own.oldest) == (dt.date(2020, 1, 2), "page")
    assert started.review_dates("bad.md") is None and started.review_dates("none.md") is None
    from_facts = started.review_dates("facts.md")  # its own date shows; the fact's due date counts
    assert from_facts.reviewed == dt.date(2099, 1, 1) and from_facts.due == facts.levels["iop"].review_due
    pages["own.md"].meta["reviewed"] = "2026-01-01"  # asked again: the first answer stands
    assert started.review_dates("own.md") is own


def test_a_page_made_of_others_takes_their_oldest_dates(facts: Facts) -> None:
    started = session.start(facts, audience="staff")
    pages = {"one.md": _page({"reviewed": "2026-03-01"}), "two.md": _page({"reviewed": "2026-02-01"}),
             "all.md": _page({"reviewed": dt.date(2026, 11, 29)})}
    started.use_pages(pages.get)
    started.render_last("all.md")
    started.made_of("all.md", ["one.md", "two.md"])
    for src in pages:
        started.render(src, "plain")
    dates = started.review_dates("all.md")
    assert dates.reviewed == dt.date(2026, 2, 1)
    assert dates.due == min(started.review_dates(s).due for s in ("one.md", "two.md"))
    assert started.renders_last == ["all.md"] and started.parts("all.md") == ["one.md", "two.md"]
