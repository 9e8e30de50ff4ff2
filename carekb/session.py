"""What one build shares between hook modules: the facts, the audience and the renderer.

Hook modules are separate plugins; `on_config` of `hooks/facts.py` starts a session on every
(re)build and the others read it. Plain module state is enough: a build runs in one thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carekb import collector
from carekb.audience import PageAudiences
from carekb.model import PUBLIC, STAFF, Facts
from carekb.pages import GeneratedPage, generated_pages
from carekb.render import Renderer


@dataclass
class Session:
    facts: Facts
    audience: str
    project: Path  # the folder holding mkdocs.yml
    renderer: Renderer
    pages: list[GeneratedPage]
    # Sections other hooks add to the build report (e.g. readability grades), by name.
    report: dict[str, Any] = field(default_factory=dict)
    # Each page's audience, decided once from its path and front matter (hooks/audience.py).
    audiences: PageAudiences = field(default_factory=PageAudiences)
    # The staff pages (src path -> mkdocs File) the public build left out, for the link check.
    staff_pages: dict[str, Any] = field(default_factory=dict)
    # Generated pages by src path, to hand each one's `about` entity to the renderer.
    generated: dict[str, GeneratedPage] = field(init=False)

    def __post_init__(self) -> None:
        self.generated = {page.src: page for page in self.pages}


_current: Session | None = None


def start(facts: Facts, *, audience: str = PUBLIC, project: Path | str = ".") -> Session:
    global _current
    if audience not in (PUBLIC, STAFF):
        raise ValueError(f"extra.audience must be {PUBLIC!r} or {STAFF!r}, not {audience!r}")
    collector.release()  # the last build's session (`mkdocs serve` rebuilds) may go now
    # Every hook reads the renderer's view of the facts: in the public build it holds no
    # staff-only node at all, so no hook can show one.
    renderer = Renderer(facts, audience=audience)
    _current = Session(renderer.facts, audience, Path(project), renderer,
                       generated_pages(renderer.facts, audience))
    # The fact base lives until the next build and never becomes garbage: without this every
    # full collection walks it again (at 100x that doubled what each one cost).
    collector.settle()
    return _current


def current() -> Session:
    if _current is None:
        raise RuntimeError("no facts loaded: list hooks/facts.py first under `hooks:` in mkdocs.yml")
    return _current
