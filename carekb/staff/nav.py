"""Where the staff chapters go in the handbook's navigation, and which page is its home.

The staff handbook is the public site plus staff chapters. `mkdocs.staff.yml` inherits the
public `nav` and lists only its own entries under `extra.staff_nav`, so the public nav is
written once and the handbook never falls behind it. The handbook starts with staff: its
entries come first, its first page (the staff start page) is the handbook's home, at `/`,
and the public home page moves to `PUBLIC_HOME` (the staff nav names it where it wants it;
the public nav's own entry for it is then left out). Editor pages sit in a section of their
own ("For editors"), apart from the onboarding chapters.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

HOME = "index.md"
PUBLIC_HOME = "public-home/index.html"  # where the public home page goes in the staff build


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
    """The staff entries first, then the public nav without what they list already."""
    listed = set(nav_srcs(staff_nav))
    rest = [item for item in nav or [] if not set(nav_srcs([item])) <= listed or not nav_srcs([item])]
    return list(staff_nav) + rest


def staff_home(staff_nav: list[Any]) -> str:
    """The handbook's home: the first page its staff entries list (ValueError if none)."""
    srcs = nav_srcs(staff_nav)
    if not srcs:
        raise ValueError("extra.staff_nav lists no page: its first page is the handbook's home")
    return srcs[0]


def unlisted(staff_srcs: Iterable[str], nav: Iterable[Any]) -> list[str]:
    """Staff pages the nav leaves out (they would be missing from the print page too)."""
    listed = set(nav_srcs(nav))
    return sorted(s for s in staff_srcs if s not in listed)
