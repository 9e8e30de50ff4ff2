"""Where the staff chapters go in the handbook's navigation.

The staff handbook is the public site plus staff chapters. `mkdocs.staff.yml` inherits the
public `nav` and lists only its own chapters under `extra.staff_nav`, so the public nav is
written once and the handbook never falls behind it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

HOME = "index.md"


def nav_srcs(nav: Iterable[Any]) -> list[str]:
    """Every page path a nav lists, in reading order (external links left out)."""
    out: list[str] = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item
        if isinstance(value, list):
            out += nav_srcs(value)
        elif isinstance(value, str) and "://" not in value:
            out.append(value)
    return out


def check_staff_nav(staff_nav: Any) -> list[Any]:
    """`extra.staff_nav` as a nav list, or ValueError saying what shape it must have."""
    if not isinstance(staff_nav, list) or not staff_nav:
        raise ValueError("extra.staff_nav must be a list of nav entries, e.g. "
                         "[{'Staff handbook': ['staff/index.md', 'staff/billing.md']}]")
    return staff_nav


def with_staff(nav: list[Any] | None, staff_nav: list[Any]) -> list[Any]:
    """The public nav with the staff chapters right after Home (first if there is no Home)."""
    nav = list(nav or [])
    srcs = [nav_srcs([item]) for item in nav]
    at = next((i + 1 for i, s in enumerate(srcs) if s == [HOME]), 0)
    return nav[:at] + list(staff_nav) + nav[at:]


def unlisted(staff_srcs: Iterable[str], nav: Iterable[Any]) -> list[str]:
    """Staff pages the nav leaves out (they would be missing from the print page too)."""
    listed = set(nav_srcs(nav))
    return sorted(s for s in staff_srcs if s not in listed)
