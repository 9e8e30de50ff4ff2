"""Every test has exactly one kind (unit, build, browser or newcomer), so `-m unit` (make
test-fast), `-m build`, `-m browser` and `-m newcomer` split the suite with nothing left out and
nothing run twice. tests/conftest.py sets the kind from what a test uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import BROWSER_DIR, BUILD_FIXTURES, KINDS, _builders, kind_of

pytestmark = pytest.mark.unit


def test_every_collected_test_has_exactly_one_kind(request: pytest.FixtureRequest) -> None:
    wrong, builders = [], _builders()
    for item in request.session.items:
        kinds = sorted({m.name for m in item.iter_markers()} & set(KINDS))
        if kinds != [kind_of(item, builders)]:
            wrong.append(f"{item.nodeid}: {kinds or 'no kind'} (from what it uses: {kind_of(item, builders)})")
    assert request.session.items and not wrong, "\n".join(wrong[:50])


def test_the_kinds_are_the_registered_markers(pytestconfig: pytest.Config) -> None:
    registered = {line.split(":")[0] for line in pytestconfig.getini("markers")}
    assert set(KINDS) <= registered


def test_a_test_using_a_built_site_is_a_build_test(request: pytest.FixtureRequest) -> None:
    """The kind follows the fixtures: the real site's tests are `build`, this file's `unit`."""
    items = {item.nodeid.split("::")[-1]: item for item in request.session.items}
    assert kind_of(items[request.node.name]) == "unit"
    built = [i for i in request.session.items if "built_site" in getattr(i, "fixturenames", ())]
    # never `unit`; `build` unless a kind before it applies (a browser test reading the built
    # site is `browser`: kind_of's order)
    builders = _builders()
    kinds = {i.nodeid: kind_of(i, builders) for i in built}
    wrong = [f"{i.nodeid}: {kinds[i.nodeid]}" for i in built
             if kinds[i.nodeid] != ("browser" if BROWSER_DIR in Path(i.path).parents else "build")]
    assert "built_site" in BUILD_FIXTURES and not wrong, "\n".join(wrong)
