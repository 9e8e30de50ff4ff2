"""A tour of a site in Chromium: every page opened once per width, and every check the browser
tests make of that page run on it in turn, so a page is loaded once, not once per test.

Each width has its own browser context (its own viewport, service workers blocked, every request
recorded). The widths open a page side by side: each navigation starts, then each is waited for
until the page has loaded (its `load` event: the page, its style sheets, scripts and images;
`wait_until="networkidle"` waits for half a second with no request as well, which a probe that
looks at late requests asks for itself: probes.scrolled_to_the_bottom). Then
the probes run in the order given; what each returns (or the error it raised) is kept by page,
and the tests assert on it, each its own. A probe that changes the page (a colour scheme,
scrolling) comes after the probes that must see it as loaded.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Probe = Callable[[Any, str, dict], Any]  # (page, url path, viewport) -> what it found


@dataclass
class Stop:
    """One page at one width."""

    path: str
    status: int | None = None  # the HTTP status of the page
    requests: int = 0  # requests recorded from the start of its navigation to the last probe
    found: dict[str, Any] = field(default_factory=dict)  # probe name -> what it returned
    errors: dict[str, str] = field(default_factory=dict)  # probe name -> the error it raised
    failed: str | None = None  # the page itself did not load


@dataclass
class Leg:
    """The tour at one width."""

    viewport: dict
    stops: list[Stop] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every URL the context requested
    dialogs: list[str] = field(default_factory=list)  # every dialog a page opened

    def results(self, probe: str) -> list[tuple[Stop, Any]]:
        """(stop, what `probe` found) for every page, in order; a page that failed to load, or
        where the probe raised, gives None."""
        return [(stop, stop.found.get(probe)) for stop in self.stops]

    def errors(self, probe: str) -> list[str]:
        """Why a page could not be checked by `probe`: it did not load, or the probe raised."""
        out = [f"{s.path}: {s.failed}" for s in self.stops if s.failed]
        return out + [f"{s.path}: {probe} raised {s.errors[probe]}" for s in self.stops if probe in s.errors]


def tour(browser, base_url: str, paths: list[str], legs: dict[str, dict],
         probes: dict[str, list[tuple[str, Probe]]], *, init_script: str | None = None,
         timeout: float = 15_000) -> dict[str, Leg]:
    """Open every path of `base_url` at each width of `legs` ({name: viewport}) and run that
    width's `probes` ([(name, probe)], in order) on each page. Returns {width name: Leg}."""
    base = base_url.rstrip("/")
    out, pages, contexts = {}, {}, []
    try:
        for name, viewport in legs.items():
            leg = out[name] = Leg(viewport)
            context = browser.new_context(viewport=viewport, service_workers="block")
            contexts.append(context)
            if init_script:
                context.add_init_script(init_script)
            context.on("request", lambda request, leg=leg: leg.requests.append(request.url))
            context.on("websocket", lambda socket, leg=leg: leg.requests.append(socket.url))
            page = pages[name] = context.new_page()
            page.set_default_timeout(timeout)
            page.on("dialog", lambda dialog, leg=leg, page=page: (
                leg.dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        for path in paths:
            started, responses = {}, {}
            for name, page in pages.items():  # start every width's navigation...
                stop = Stop(path)
                out[name].stops.append(stop)
                started[name] = len(out[name].requests)
                try:
                    responses[name] = page.goto(base + path, wait_until="commit")
                except Exception as error:  # noqa: BLE001 - the tests report it for this page
                    stop.failed = f"could not be opened: {error}"
            for name, page in pages.items():  # ...then wait for each to be quiet and check it
                leg, stop = out[name], out[name].stops[-1]
                if stop.failed:
                    continue
                try:
                    page.wait_for_load_state("load")
                except Exception as error:  # noqa: BLE001
                    stop.failed = f"did not finish loading: {error}"
                    continue
                stop.status = responses[name].status if responses[name] is not None else None
                for probe_name, probe in probes.get(name, []):
                    try:
                        stop.found[probe_name] = probe(page, path, leg.viewport)
                    except Exception:  # noqa: BLE001 - kept for the test that owns the probe
                        stop.errors[probe_name] = traceback.format_exc(limit=3)
                stop.requests = len(leg.requests) - started[name]
    finally:
        for context in contexts:
            context.close()
    return out
