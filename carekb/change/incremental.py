"""Which pages a change needs rebuilt, or None when only a full rebuild is safe (no mkdocs here).

The preview (scripts/serve.py, engine/preview.py) asks this after each save. Correctness comes
first: anything that can show on every page, or that the usage registry cannot map to pages,
means a full rebuild.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Any, Callable

from carekb.change.impact import EVERY_PAGE, REVIEW, changed_paths, diff, has_prefix, yaml_fields

# A fact whose change can move pages in or out of the build or the nav, or change what a page
# lists without that page having read it before: always a full rebuild.
_STRUCTURAL = re.compile(r"(^|\.)(audience|in_self_check)$|^(extra|site)")


# Lines the partial reading of facts.yaml understands: a top-level section that is a mapping,
# and one entry of it (two spaces in). Anchors, aliases and tags tie text to text elsewhere.
_SECTION = re.compile(r"[A-Za-z_][\w-]*:[ \t]*(?:#.*)?")
_ENTRY = re.compile(r"  [^\s#&*!|>'\"{\[-][^:#]*:(?:[ \t].*)?")
_LINKED = re.compile(r"(?:^|[\s\[{,:-])[&*!][^\s]")


def reload_data(old_text: str, new_text: str, old_data: Any,
                load: Callable[[str], Any]) -> tuple[Any, Any, Any]:
    """`new_text` as loaded YAML, and the part of the old and new data that can differ.

    When every changed line lies inside one entry of a top-level section (`levels:` then
    `  op:`), only that entry is read again, from both texts: the new data is the old data with
    that entry replaced (all else shared), and the parts are `{section: {entry: ...}}`, whose
    `diff` is the whole files' diff. Otherwise (a section or entry line itself changed, an
    anchor, alias or tag nearby, anything unexpected) the whole new text is read and the parts
    are the whole old and new data.
    """
    part = _changed_entry(old_text, new_text, old_data, load)
    if part is not None:
        return part
    new_data = load(new_text)
    return new_data, old_data, new_data


def _changed_entry(old_text: str, new_text: str, old_data: Any,
                   load: Callable[[str], Any]) -> tuple[Any, Any, Any] | None:
    if old_text == new_text:
        return old_data, old_data, old_data
    old, new = old_text.split("\n"), new_text.split("\n")
    # Lines wholly before the first and after the last character that differs are the same.
    first = old_text.count("\n", 0, _common_start(old_text, new_text))
    back = _common_start(old_text[::-1], new_text[::-1])
    tail = min(old_text.count("\n", len(old_text) - back), len(old) - first, len(new) - first)
    changed = old[first:len(old) - tail] + new[first:len(new) - tail]
    if any(_outline(line) <= 2 or _LINKED.search(line) for line in changed):
        return None
    entry = _up(old, first - 1, 2)
    section = _up(old, entry - 1, 0) if entry is not None else None
    if section is None or not _ENTRY.fullmatch(old[entry]) \
            or not _SECTION.fullmatch(old[section]):
        return None
    blocks = []
    for lines in (old, new):
        end = len(lines) - tail
        while end < len(lines) and _outline(lines[end]) > 2:
            end += 1
        block = "\n".join(lines[entry:end])
        if _LINKED.search(block):
            return None
        blocks.append(load(block))
    name = old[section].split(":", 1)[0]
    before, after = blocks
    if not (isinstance(old_data, dict) and isinstance(old_data.get(name), dict)
            and isinstance(before, dict) and isinstance(after, dict)
            and len(before) == len(after) == 1 and before.keys() == after.keys()):
        return None
    (key, was), (_, now) = next(iter(before.items())), next(iter(after.items()))
    if key not in old_data[name] or old_data[name][key] != was:
        return None
    new_data = dict(old_data)
    new_data[name] = dict(old_data[name])
    new_data[name][key] = now
    return new_data, {name: {key: was}}, {name: {key: now}}


def _common_start(a: str, b: str) -> int:
    """The length of the longest common prefix of a and b (compared in C, halving each time)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[low:mid] == b[low:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _outline(line: str) -> int:
    """A line's indent, or a large number for blank and comment lines (they end no block)."""
    stripped = line.lstrip(" ")
    if not stripped or stripped.startswith("#"):
        return 1 << 30
    return len(line) - len(stripped)


def _up(lines: list[str], start: int, indent: int) -> int | None:
    """The nearest line at or above `start` indented `indent` or less (None: it is not `indent`)."""
    for i in range(start, -1, -1):
        at = _outline(lines[i])
        if at <= indent:
            return i if at == indent else None
    return None


def reads(used: list[str] | set[str]) -> list[str]:
    """What `fact_pages` needs of a page: the model paths its templates read (the last build's
    registry), with model attributes also named as facts.yaml fields, sorted."""
    return sorted(_yaml_paths(used))


def fact_pages(old: Any, new: Any, page_reads: dict[str, list[str]]) -> set[str] | None:
    """The pages showing any fact that differs between two loaded fact files; None: rebuild all.

    `page_reads` is each page's `reads`, kept from the build that rendered it.
    Unlike `impact.shown_paths`, containers count: a page that formats a whole figure records
    `levels.op.cost[1]` and its `.sources`, and must be rebuilt when `cost[1].about` changes.
    """
    changes = diff(old, new)
    for change in changes:
        # A new or removed entry or field may be listed by a page that never read it before.
        if change.kind != "changed" or EVERY_PAGE.search(change.path) \
                or _STRUCTURAL.search(change.path):
            return None
    touched: set[str] = set()
    for change in changes:
        touched |= changed_paths(change)
        review = REVIEW.match(change.path)
        if review:  # a review date moves the dates line of every page showing its entry
            touched.add(review.group(1))
    pages: set[str] = set()
    for page, ordered in page_reads.items():
        if any(_reads(ordered, path) for path in touched):
            pages.add(page)
    return pages


def _yaml_paths(used: list[str] | set[str]) -> set[str]:
    """Model paths a page read, with model attributes named as facts.yaml fields (`label` -> `name`)."""
    out = set(used)
    for path in used:
        out.update(yaml_fields(path))
    return out


def _reads(ordered: list[str], path: str) -> bool:
    """Whether a page that read `ordered` (sorted) read `path`, something inside it, or around it."""
    # Around it: `path` itself or a container inside an entry (a figure, a list of figures).
    # An entry (`levels.op`) or a section read alone is how templates reach its fields, which
    # are recorded themselves; counting those would rebuild every page naming the level.
    cuts = [i for i, ch in enumerate(path) if ch in ".[" and path[:i].count(".") >= 2]
    for cut in [*cuts, len(path)]:
        at = bisect.bisect_left(ordered, path[:cut])
        if at < len(ordered) and ordered[at] == path[:cut]:
            return True
    # Inside it.
    return any(has_prefix(ordered, path + mark) for mark in ".[")


def classify(paths: set[Path], project: Path, docs_dir: Path, facts: Path) -> tuple[str, set[str]]:
    """("facts" | "pages" | "full", page src paths) for a set of changed files.

    Pages are src paths under docs_dir; anything other than facts.yaml or a Markdown page that
    already existed (templates, hooks, overrides, mkdocs.yml, assets) means a full rebuild.
    """
    kind = "none"
    pages: set[str] = set()
    for path in paths:
        path = Path(path).resolve()
        if path == facts.resolve():
            kind = "facts" if kind in ("none", "facts") else "mixed"
            continue
        try:
            rel = path.relative_to(docs_dir.resolve()).as_posix()
        except ValueError:
            rel = None
        if rel is not None and rel.endswith(".md"):
            pages.add(rel)
            kind = "pages" if kind in ("none", "pages") else "mixed"
            continue
        if _ignorable(path):
            continue
        return "full", set()
    if kind == "mixed":
        kind = "both"
    return kind, pages


def _ignorable(path: Path) -> bool:
    """Editor swap and backup files, caches: saving them changes nothing the site shows."""
    name = path.name
    return (name.endswith(("~", ".swp", ".swx", ".tmp", ".pyc")) or name.startswith(".#")
            or "__pycache__" in path.parts or name == "4913")


def summary(rebuilt: int, total: int, seconds: float, readability: dict[str, Any] | None,
            warnings: int) -> str:
    """The one terminal line after a successful rebuild."""
    what = "all" if rebuilt >= total else f"{rebuilt} of {total}"
    grade = ""
    if readability and readability.get("median_fernandez_huerta") is not None:
        over = sum(1 for p in readability["pages"].values()
                   if p["fernandez_huerta"] < p["limit"] or p["inflesz"] < p["inflesz_limit"])
        grade = (f"; Fernández-Huerta median {readability['median_fernandez_huerta']:.1f}" +
                 (f", {over} page{'s' if over != 1 else ''} too hard to read" if over else ""))
    elif readability and readability.get("median") is not None:
        over = sum(1 for p in readability["pages"].values() if p["grade"] > p["limit"])
        grade = f"; reading grade median {readability['median']:.1f}" + \
            (f", {over} page{'s' if over != 1 else ''} over the limit" if over else "")
    warned = f"; {warnings} warning{'s' if warnings != 1 else ''} (above)" if warnings else ""
    return f"Preview updated: {what} pages rebuilt in {seconds:.2f} s{grade}{warned}."


# -- the Spanish preview ---------------------------------------------------------------------------
def split_translated(paths: set[Path], english_dir: Path, docs_dir: Path,
                     texts: Path) -> tuple[set[Path], set[str], bool]:
    """For a translated build (the Spanish site, pages in content/es/): (the changed files left
    for `classify`, the Spanish twins of the English pages that changed, whether facts.es.yaml
    changed). An English page's save changes only its twin (shown in English while stale, or
    now current); a staff page's save changes nothing in the Spanish site."""
    rest: set[Path] = set()
    twins: set[str] = set()
    changed_texts = False
    english, spanish = english_dir.resolve(), docs_dir.resolve()
    for path in paths:
        full = Path(path).resolve()
        if full == texts.resolve():
            changed_texts = True
            continue
        try:
            rel = full.relative_to(english)
        except ValueError:
            rest.add(path)
            continue
        inside_spanish = full == spanish or spanish in full.parents
        if inside_spanish or not rel.as_posix().endswith(".md"):
            rest.add(path)
        elif rel.parts[0].casefold() != "staff":
            twins.add(rel.as_posix())
    return rest, twins, changed_texts


def translation_pages(old_text: str, new_text: str,
                      page_reads: dict[str, list[str]]) -> set[str] | None:
    """The pages showing a text whose facts.es.yaml entry changed (its Spanish, or the English
    it records: current or stale, it shows differently); None: rebuild every page (a name in the
    navigation, a crisis text, an abbreviation, or a file that cannot be read)."""
    from carekb.i18n.translations import parse_translations  # only the Spanish preview needs it

    old, old_problems = parse_translations(old_text)
    new, new_problems = parse_translations(new_text)
    if old_problems or new_problems:
        return None
    changed = {path for path in old.keys() | new.keys()
               if (old.get(path) and (old[path].en, old[path].es)) != (new.get(path) and (new[path].en, new[path].es))}
    if any(EVERY_PAGE.search(path) for path in changed):
        return None
    return {page for page, ordered in page_reads.items()
            if any(_reads(ordered, path) for path in changed)}
