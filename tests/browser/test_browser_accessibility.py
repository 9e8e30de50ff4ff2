"""axe-core in a real browser: no serious or critical accessibility violation on any public page,
in English and in Spanish (every page of the Spanish site, es/, of a project with a complete
translation: tests/spanish_samples.py).

The pages are opened once, by the session's tours (tests/browser/conftest.py `public_tour` and
`spanish_tour`): at 1280 px each page gets each scheme applied at once, then axe-core (injected
locally) run: every rule in the first scheme, the rules about colour again in the second (a
scheme changes nothing else; tests/browser/probes.py `axe_schemes`)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
SCHEMES = ("light", "dark")


def _luminance(css_color: str) -> float:
    red, green, blue = (int(x) for x in re.findall(r"\d+", css_color)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def _describe(path: str, scheme: str, violation: dict) -> str:
    targets = "; ".join(violation["targets"])
    return f"{path} [{scheme}] {violation['id']} ({violation['impact']}): {violation['help']} -> {targets}"


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_no_serious_or_critical_axe_violations(public_tour, foreign_requests, scheme: str) -> None:
    """axe-core (bundled, injected locally) finds no serious or critical violation on any page in this scheme."""
    _no_violations(public_tour["1280px"], foreign_requests, scheme)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_no_serious_or_critical_axe_violations_in_spanish(spanish_tour, spanish_pages, foreign_requests,
                                                           scheme: str) -> None:
    """The same on every page of the Spanish site."""
    assert len(spanish_pages) > 30
    leg = spanish_tour["1280px"]
    assert [stop.path for stop in leg.stops] == spanish_pages
    _no_violations(leg, foreign_requests, scheme)


def _no_violations(leg, foreign_requests, scheme: str) -> None:
    assert leg.errors("axe") == []
    problems: list[str] = []
    for stop, found in leg.results("axe"):
        assert stop.status == 200, f"{stop.path}: HTTP {stop.status}"
        background = found[scheme]["background"]
        is_dark = _luminance(background) < 0.5
        assert is_dark == (scheme == "dark"), f"{stop.path}: the {scheme} scheme did not apply (background {background})"
        # Every rule judged the page in this scheme; the colour rules ran in it (probes.axe_schemes).
        assert found[scheme]["rules"] == found["dark"]["rules"] and len(found[scheme]["rules"]) > 40, found[scheme]
        assert "color-contrast" in found[scheme]["colour_rules"], found[scheme]
        problems += [
            _describe(stop.path, scheme, violation)
            for violation in found[scheme]["violations"]
            if violation["impact"] in BLOCKING
        ]
    assert not problems, f"{len(problems)} serious or critical violations:\n" + "\n".join(problems)
    assert not foreign_requests(leg.requests), f"requests left localhost: {foreign_requests(leg.requests)}"
