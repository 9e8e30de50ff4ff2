"""Pages show their own review date (issue 21): a page's front-matter `reviewed:` is the date it
says it was last reviewed, even when the facts it shows were reviewed earlier; those facts'
due dates still bring the page up for review. A page made from the facts alone (a level page)
shows the oldest review among them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from carekb.load.facts_yaml import load_facts
from carekb.model.facts import add_months
from carekb.render.renderer import Renderer
from tests.conftest import REPO_ROOT

FACTS, _ = load_facts(REPO_ROOT / "facts.yaml")
_SHOWN = re.compile(r'Page last reviewed:\s*<time datetime="([\d-]+)">([^<]+)</time>')
_DUE = re.compile(r'Next review due:\s*<time datetime="([\d-]+)">')


def test_a_new_page_shows_its_own_date_and_the_earliest_due_date() -> None:
    renderer = Renderer(FACTS)
    renderer.render('A short page. See {{ link("iop") }}.', "new.md")
    iop = FACTS.levels["iop"]
    own = iop.reviewed + dt.timedelta(days=30)  # written after the IOP facts were checked
    dates = renderer.review_dates("new.md", own)
    assert (dates.reviewed, dates.oldest) == (own, "page")
    assert dates.due == min(add_months(own, FACTS.review_every_months), iop.review_due)
    older = iop.reviewed - dt.timedelta(days=400)  # a page not looked at for a long time
    assert renderer.review_dates("new.md", older).reviewed == older
    # Without a date of its own, the oldest fact it shows.
    assert renderer.review_dates("new.md", None).reviewed == iop.reviewed


def _front_matter(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1]) if text.startswith("---\n") else {}


def test_every_hand_written_page_of_the_built_site_shows_its_own_reviewed_date(built_site: Path) -> None:
    checked = 0
    for page in sorted((REPO_ROOT / "content").glob("*.md")):
        own = _front_matter(page).get("reviewed")
        if not isinstance(own, dt.date):
            continue
        folder = "" if page.stem == "index" else page.stem
        html = (built_site / folder / "index.html").read_text(encoding="utf-8")
        shown = _SHOWN.search(html)
        assert shown, f"{page.name}: no 'Page last reviewed'"
        assert shown[1] == own.isoformat(), f"{page.name}: shows {shown[2]}, its own date is {own}"
        assert _DUE.search(html)[1] <= add_months(own, FACTS.review_every_months).isoformat()
        checked += 1
    assert checked >= 10
