"""Search: Material's site search finds pages by what people type."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_search_for_partial_hospitalization_shows_php_page(page, visit) -> None:
    """Typing "partial hospitalization" into the search box lists a result linking to levels/php/."""
    visit(page, "/")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("partial hospitalization", delay=20)
    result = page.locator('.md-search-result__link[href*="levels/php/"]').first
    result.wait_for(state="visible", timeout=15_000)
    assert "levels/php/" in result.get_attribute("href")
