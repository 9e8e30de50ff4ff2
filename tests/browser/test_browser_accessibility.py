"""axe-core in a real browser: no serious or critical accessibility violation on any public page,
in English and in Spanish (every page of the Spanish site, es/, of a project with a complete
translation: tests/spanish_samples.py)."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
SCHEMES = ("light", "dark")


def _luminance(css_color: str) -> float:
    red, green, blue = (int(x) for x in re.findall(r"\d+", css_color)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def _describe(path: str, scheme: str, violation: dict) -> str:
    targets = "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:5])
    return f"{path} [{scheme}] {violation['id']} ({violation['impact']}): {violation['help']} -> {targets}"


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_no_serious_or_critical_axe_violations(page, visit, pages, set_scheme, scheme: str) -> None:
    """axe-core (bundled, injected locally) finds no serious or critical violation on any page in this scheme."""
    _no_violations(page, visit, pages, set_scheme, scheme)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_no_serious_or_critical_axe_violations_in_spanish(page, bilingual_url, spanish_pages, set_scheme,
                                                           scheme: str) -> None:
    """The same on every page of the Spanish site."""

    def visit(page, path: str) -> None:
        response = page.goto(bilingual_url.rstrip("/") + path, wait_until="networkidle")
        assert response is not None and response.status == 200, path

    assert len(spanish_pages) > 30
    _no_violations(page, visit, spanish_pages, set_scheme, scheme)


def _no_violations(page, visit, pages, set_scheme, scheme: str) -> None:
    axe = Axe()  # its axe.min.js comes from the installed package and is evaluated in the page
    problems: list[str] = []
    for path in pages:
        visit(page, path)
        background = set_scheme(page, scheme)
        is_dark = _luminance(background) < 0.5
        assert is_dark == (scheme == "dark"), f"{path}: the {scheme} scheme did not apply (background {background})"
        results = axe.run(page)
        problems += [
            _describe(path, scheme, violation)
            for violation in results.response["violations"]
            if violation["impact"] in BLOCKING
        ]
    assert not problems, f"{len(problems)} serious or critical violations:\n" + "\n".join(problems)
