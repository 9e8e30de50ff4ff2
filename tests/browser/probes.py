"""What the browser tests look at on each page of the public site, as probes for the tour
(tests/browser/tour.py): the session's `public_tour` opens every page once per width and runs
these in this order; the tests (crisis, accessibility, tap targets, privacy) assert on what they
found. A probe only measures and returns what it saw; the verdicts stay in the tests.
"""

from __future__ import annotations

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

from carekb.load.facts_yaml import load_facts

DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 375, "height": 667}
WIDTHS = {"375px": MOBILE, "1280px": DESKTOP}

# Material keeps the colour scheme on <body data-md-color-scheme>: "default" is light, "slate" dark.
SCHEMES = {"light": "default", "dark": "slate"}
# Switch the scheme at once, with transitions off, so what is measured next (axe's contrast
# check, a computed colour) sees the final colours, not a colour halfway through a transition.
# A constructed style sheet, not a <style> element: the pages' Content-Security-Policy
# (style-src 'self') blocks the latter, which left the transitions on.
SET_SCHEME = """scheme => {
    const still = new CSSStyleSheet();
    still.replaceSync("*, *::before, *::after { transition: none !important; animation: none !important; }");
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, still];
    document.body.setAttribute("data-md-color-scheme", scheme);
    return getComputedStyle(document.body).backgroundColor;
}"""


# Two animation frames: what the page's own scripts do in reaction (the scroll spy marking
# the table of contents, the sidebar following it) is done before anything is measured. With
# scripts off there is nothing to wait for, and no frame callback would ever run (the promise
# would never settle): the HTML parser reads <noscript> as markup exactly when scripting is off.
SETTLED = """() => {
    const probe = document.createElement("div");
    probe.innerHTML = "<noscript><i></i></noscript>";
    if (probe.querySelector("noscript i")) return true;
    return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))));
}"""


def set_scheme(page, scheme: str) -> str:
    """Apply "light" or "dark" at once; returns the page's background colour (CSS)."""
    page.emulate_media(color_scheme=scheme)
    background = page.evaluate(SET_SCHEME, SCHEMES[scheme])
    page.evaluate(SETTLED)
    return background


_AXE_SCRIPT = Axe().axe_script  # axe.min.js of the installed package, evaluated in the page
VIOLATIONS = {"resultTypes": ["violations"]}


def axe_run(page, options: dict | None = None) -> dict:
    """axe-core's results for the page as it is now (`options`: axe.run's; by default every
    rule that runs by default, with the nodes of violations only). axe is evaluated in a page
    once: it stays until the page navigates (half a megabyte of script each time otherwise)."""
    if not page.evaluate("() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        page.evaluate(_AXE_SCRIPT)
    return page.evaluate("options => axe.run(document, options)", options or VIOLATIONS)


def _violations(violations: list[dict]) -> list[dict]:
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [" ".join(map(str, n["target"])) for n in v["nodes"][:5]]}
            for v in violations]


# -- crisis help (tests/browser/test_browser_crisis.py) -----------------------------------------
# Calling is a tel: link; "text 988" is an sms: link, which is what a reader tapping "text" expects.
NUMBER_LINK = re.compile(r"(tel|sms):\+?[0-9][0-9-]*")


def expected_crisis_links() -> set[str]:
    """tel: for every number to call (and TTY), sms: for every number to text, from facts.yaml."""
    facts, _ = load_facts(Path(__file__).resolve().parents[2] / "facts.yaml")
    digits = lambda n: "".join(ch for ch in n if ch.isdigit())  # noqa: E731
    out = set()
    for resource in facts.crisis.values():
        out |= {f"tel:{digits(n)}" for n in (resource.call, resource.tty) if n}
        out |= {f"sms:{digits(resource.text)}"} if resource.text else set()
    return out


EXPECTED = expected_crisis_links()


def crisis(page, path: str, viewport: dict) -> list[str]:
    """What is wrong with the crisis bar of the page as loaded (nothing: [])."""
    bar = page.locator(".kb-crisis")
    if bar.count() != 1:
        return [f"{path}: expected one .kb-crisis, found {bar.count()}"]
    problems = []
    if not bar.is_visible():
        return [f"{path}: the crisis bar is not visible"]
    if bar.get_attribute("role") != "region" or not (bar.get_attribute("aria-label") or "").strip():
        problems.append(f"{path}: the crisis bar needs role=region and an aria-label")
    box = bar.bounding_box()
    if box["y"] < 0 or box["y"] + box["height"] > viewport["height"]:
        problems.append(f"{path}: the crisis bar is not fully on the first screen (box {box})")
    title = page.locator("h1").first
    if title.count() and title.is_visible() and title.bounding_box()["y"] < box["y"]:
        problems.append(f"{path}: the page title comes before the crisis bar")
    # The numbers; the bar's one other link leads to the help page with every option.
    hrefs = bar.locator("a.kb-crisis__number").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    more = bar.locator("a.kb-crisis__more")
    if more.count() != 1 or not more.evaluate("a => a.href").endswith("/help/"):
        problems.append(f"{path}: the crisis bar lacks its one link to the help page")
    if not hrefs:
        problems.append(f"{path}: the crisis bar has no links")
    problems += [f"{path}: crisis link {href!r} is not a tel: or sms: link"
                 for href in hrefs if not NUMBER_LINK.fullmatch(href or "")]
    missing = EXPECTED - {(h or "").replace("-", "") for h in hrefs}
    if missing:
        problems.append(f"{path}: the crisis bar lacks {sorted(missing)}")
    return problems


# -- axe in both colour schemes (tests/browser/test_browser_accessibility.py) -------------------
def at_the_top(page) -> None:
    """Back at the top of the page, as loaded (the probe before may have scrolled)."""
    page.evaluate("window.scrollTo({top: 0, left: 0, behavior: 'instant'})")


# A colour scheme changes colours only (Material's palette: custom properties of colour), so
# of axe's rules only those about colour (tagged "cat.color": contrast, links told apart by
# colour) can judge a page differently in another scheme. Every rule runs in the first scheme;
# in the others, the colour rules that ran there run again, and the other rules' verdicts are
# the first scheme's (the same page, the same elements, the same sizes).
COLOUR = "cat.color"


def _ran(results: dict) -> list[dict]:
    """Every rule that judged the page (whatever it found)."""
    return [r for kind in ("violations", "passes", "incomplete", "inapplicable") for r in results[kind]]


def axe_schemes(page, path: str, viewport: dict) -> dict[str, dict]:
    """Each scheme applied at once, then axe-core run: {scheme: {background, violations, rules
    (the ids of the rules whose verdicts these are)}}."""
    out, first, colour = {}, None, []
    for scheme in sorted(SCHEMES):
        at_the_top(page)
        background = set_scheme(page, scheme)
        if first is None:
            first = axe_run(page)
            colour = sorted({r["id"] for r in _ran(first) if COLOUR in r["tags"]})
            violations, rules = first["violations"], {r["id"] for r in _ran(first)}
        else:
            again = axe_run(page, {"runOnly": {"type": "rule", "values": colour}, **VIOLATIONS})
            violations = [v for v in first["violations"] if COLOUR not in v["tags"]] + again["violations"]
            rules = {r["id"] for r in _ran(first) if COLOUR not in r["tags"]} | {r["id"] for r in _ran(again)}
        out[scheme] = {"background": background, "violations": _violations(violations),
                       "rules": sorted(rules), "colour_rules": colour}
    return out


# -- tap targets (tests/browser/test_browser_tap_targets.py) ------------------------------------
ONLY_TARGET_SIZE = {"runOnly": {"type": "rule", "values": ["target-size"]}, "resultTypes": ["violations"]}
# Pairs of footnote links whose centres are closer than 24px, and whether a tap 10px above,
# below, left and right of each number's centre reaches that number.
FOOTNOTE_TARGETS = """() => {
  const links = [...document.querySelectorAll('article a.footnote-ref, article a.footnote-backref')]
    .filter(a => a.getClientRects().length);
  const centre = a => { const r = a.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; };
  const close = [];
  for (let i = 0; i < links.length; i++) {
    for (let j = i + 1; j < links.length; j++) {
      const [x1, y1] = centre(links[i]), [x2, y2] = centre(links[j]);
      const d = Math.hypot(x1 - x2, y1 - y2);
      if (d < 24) close.push(`${links[i].textContent} and ${links[j].textContent} ${d.toFixed(1)}px apart`);
    }
  }
  const missed = [];
  for (const a of links.filter(a => a.classList.contains('footnote-ref')).slice(0, 5)) {
    a.scrollIntoView({block: 'center', behavior: 'instant'});
    const [x, y] = centre(a);
    for (const [dx, dy] of [[0, -10], [0, 10], [-10, 0], [10, 0]]) {
      const hit = document.elementFromPoint(x + dx, y + dy);
      if (!(hit && (hit === a || a.contains(hit)))) missed.push(`footnote ${a.textContent} at (${dx}, ${dy})`);
    }
  }
  return {close, missed};
}"""


def tap_targets(page, path: str, viewport: dict) -> dict:
    """axe's target-size rule alone, and the room around footnote numbers and arrows."""
    at_the_top(page)
    violations = _violations(axe_run(page, ONLY_TARGET_SIZE)["violations"])
    return {"violations": violations, **page.evaluate(FOOTNOTE_TARGETS)}


# -- privacy (tests/browser/test_browser_privacy.py) --------------------------------------------
def scrolled_to_the_bottom(page, path: str, viewport: dict) -> None:
    """Scroll to the bottom and wait for the network to be quiet again (what loads late)."""
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
