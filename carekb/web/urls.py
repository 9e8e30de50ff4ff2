"""Addresses read as a browser reads them (the WHATWG URL standard, through `ada-url`).

Browsers forgive a lot in an address: spaces and control characters at either end, tabs and
line breaks anywhere, backslashes for slashes (`/\\evil.example`, `https:\\\\evil.example`),
any letter case in the scheme, `//host` with no scheme. A check that reads the address as
text is fooled by each. Here every address is first resolved against the page's own address,
by ada (a conformant WHATWG URL parser), and judged by what it resolves to: its scheme and
its host.

Pages are given a placeholder address on a host of their own (`SITE`) when the site's real
host is not known, so "another host" means any host but that one and the site's own names.

Plain Python: no MkDocs import.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from ada_url import URL

SITE = "site.invalid"  # the host a page is placed on when the site's own is not known
ROOT = f"https://{SITE}/"
# The first steps of the URL standard's parser: leading and trailing C0 controls and spaces
# are dropped, and so are tabs and line breaks anywhere.
_ENDS = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
# Schemes that never reach a host by themselves (or load nothing).
LOCAL_SCHEMES = {"data", "blob", "about", "javascript", "tel", "sms", "mailto", "vbscript"}


def clean(url: str) -> str:
    """`url` after the standard's first steps: ends trimmed, tabs and line breaks dropped,
    backslashes read as slashes (as in every web address a page on a web host holds)."""
    return _TAB_OR_NEWLINE.sub("", url.strip(_ENDS)).replace("\\", "/")


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@functools.lru_cache(maxsize=4096)  # the same cited and theme addresses are on every page
def _absolute(url: str) -> URL | None:
    """An address with a scheme, resolved (its base does not matter)."""
    return resolve(url)


def page_address(path: str, host: str | None = None) -> str:
    """The address of the page at `path` in the site (e.g. "faq/index.html")."""
    return f"https://{host or SITE}/{path.lstrip('/')}"


def resolve(url: str, base: str = ROOT) -> URL | None:
    """`url` resolved against `base` as a browser resolves it, or None when a browser could
    not read it at all (it then loads nothing from it)."""
    try:
        return URL(url, base)
    except ValueError:
        return None


def scheme(url: str) -> str:
    """The scheme a browser reads in `url`, in lower case without the colon ("" for none)."""
    resolved = resolve(url)
    return resolved.protocol.rstrip(":") if resolved is not None else ""


def other_host(url: str, base: str = ROOT, own_hosts: Iterable[str] = ()) -> bool:
    """True when loading or following `url` (on the page at `base`) would contact a host
    other than the page's own and `own_hosts`. An address a browser cannot read counts as
    another host (it is never taken for a local one)."""
    cleaned = clean(url)
    if not cleaned:
        return False
    if not cleaned.startswith("//") and not _SCHEME.match(cleaned):
        return False  # a path, query or fragment: it stays on the page's own host
    resolved = _absolute(cleaned) if _SCHEME.match(cleaned) else resolve(url, base)
    if resolved is None:
        return True
    if resolved.protocol.rstrip(":") in LOCAL_SCHEMES:
        return False
    host = resolved.hostname
    if not host:
        return False
    own = {h.lower().rstrip(".") for h in own_hosts}
    base_host = resolve(base)
    return host.rstrip(".") not in own and (base_host is None or host != base_host.hostname)


def same_site_path(url: str, base: str, own_hosts: Iterable[str] = ()) -> str | None:
    """The path, query and fragment `url` leads to on this site ("/staff/billing/#x"), or
    None when it leads to another host or is no web address."""
    resolved = resolve(url, base)
    if resolved is None or resolved.protocol not in ("http:", "https:") or other_host(url, base, own_hosts):
        return None
    return resolved.pathname + resolved.search + resolved.hash


def norm(url: str) -> str:
    """One spelling of an absolute address, to compare two (trailing slash dropped)."""
    resolved = resolve(url.strip(_ENDS)) if "://" in url else None
    text = resolved.href if resolved is not None else url.strip()
    return text.rstrip("/")
