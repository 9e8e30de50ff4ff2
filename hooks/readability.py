"""Grade the reading level of every public page, and warn when one is too hard to read.

In the Spanish site (`extra.language: es`) each page gets its two Spanish reading-ease scores
instead (carekb/checks/readability_es.py: Fernández-Huerta, at least 60, and INFLESZ, at least 55, or
`extra.readability_ease: {fernandez_huerta: .., inflesz: ..}`), both in the build log and the
report; a page below either is a warning, so a strict build fails as for the English grade.
English shown in a Spanish page (its translation missing or stale) is not scored.

The grade (Flesch–Kincaid, computed offline by `carekb.checks.readability`) of each page's body
text goes to the build log and to the "readability" section of the build report
(`build-report/<site folder>.json`, written by hooks/report.py). A page over its limit logs
a warning naming it, so `--strict` fails. The limit is `extra.readability_limit` (grade 8
unless set); a page may raise its own with `readability_limit:` in its front matter, but
only together with a `readability_reason:` saying why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority, get_plugin_logger

from carekb.build import order
from carekb.checks.readability import grade_html
from carekb.checks.readability_es import score_html
from carekb.build.session import current
from engine.pagesource import source_name

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)

DEFAULT_LIMIT = 8.0
EASE_LIMITS = (60.0, 55.0)  # Fernández-Huerta (grades 7–8) and INFLESZ ("normal"), at least


def _default(config: MkDocsConfig) -> float:
    """The site's limit: extra.readability_limit, or DEFAULT_LIMIT."""
    return float(config.extra.get("readability_limit", DEFAULT_LIMIT))


def _limit(page: Page, config: MkDocsConfig, default: float) -> float:
    own = page.meta.get("readability_limit")
    if own is None:
        return default
    name = source_name(page, config)
    if not str(page.meta.get("readability_reason") or "").strip():
        log.warning(f"{name}: readability_limit: {own} needs a readability_reason: saying why "
                    f"this page may read harder than grade {default:g}; using {default:g}.")
        return default
    try:
        return float(own)
    except (TypeError, ValueError):
        log.warning(f"{name}: readability_limit: {own!r} is not a number; using {default:g}.")
        return default


@event_priority(order.CHECKS)  # the page body as readers get it, after every other hook changed it
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    session = current()
    if page.file.src_uri in session.staff_pages:
        return html  # the staff handbook is written for professionals
    if session.language == "es":
        return _spanish(html, page, config)
    default = _default(config)
    limit = _limit(page, config, default)
    grade = grade_html(html)
    name = source_name(page, config)
    session.grades.record(page.file.src_uri, grade, limit, default)
    log.info(f"readability: {name}: grade {grade.grade:.1f} "
             f"({grade.words} words, {grade.sentences} sentences)")
    if grade.grade > limit:
        log.warning(f"{name}: reading grade {grade.grade:.1f} is over the limit of {limit:g}. "
                    "Use shorter sentences and shorter, everyday words.")
    return html


def _ease_limits(config: MkDocsConfig) -> tuple[float, float]:
    own = config.extra.get("readability_ease") or {}
    return (float(own.get("fernandez_huerta", EASE_LIMITS[0])), float(own.get("inflesz", EASE_LIMITS[1])))


def _spanish(html: str, page: Page, config: MkDocsConfig) -> str:
    """A Spanish page's two reading-ease scores against their limits."""
    session = current()
    if page.file.src_uri in session.languages.fallback:
        return html  # the English page, shown while its translation is missing or stale
    limits = _ease_limits(config)
    ease = score_html(html)
    name = source_name(page, config)
    session.grades.record_ease(page.file.src_uri, ease, limits)
    log.info(f"readability: {name}: Fernández-Huerta {ease.fernandez_huerta:.1f}, INFLESZ "
             f"{ease.inflesz:.1f} ({ease.words} words, {ease.sentences} sentences)")
    if ease.words and (ease.fernandez_huerta < limits[0] or ease.inflesz < limits[1]):
        log.warning(f"{name}: Spanish reading ease Fernández-Huerta {ease.fernandez_huerta:.1f} "
                    f"(at least {limits[0]:g}) and INFLESZ {ease.inflesz:.1f} (at least "
                    f"{limits[1]:g}): too hard to read. Use shorter sentences and shorter, "
                    "everyday words.")
    return html


def on_post_build(*, config: MkDocsConfig) -> None:
    """The median and hardest grade: in the build log and the report (before it is written)."""
    section = current().grades.summary(_default(config))
    if section is None:
        return
    if "median_fernandez_huerta" in section:
        log.info(f"readability: {len(section['pages'])} pages, median Fernández-Huerta "
                 f"{section['median_fernandez_huerta']:.1f}, INFLESZ {section['median_inflesz']:.1f}")
        return
    worst = max(section["pages"], key=lambda p: section["pages"][p]["grade"])
    log.info(f"readability: {len(section['pages'])} pages, median grade {section['median']:.1f}, "
             f"hardest {worst} ({section['max']:.1f})")
    if section["median"] >= section["limit"]:
        log.warning(f"readability: the median grade {section['median']:.1f} should be below "
                    f"the limit of {section['limit']:g}; most pages need plainer words.")
