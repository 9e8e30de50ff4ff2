"""How fast each HTML5 parser candidate reads the real built pages (issue 19, point 1).

    .venv/bin/python benchmarks/parsers.py [SITE_FOLDER ...]   # default: builds both sites first

Each candidate parses every HTML page of the given site folders and walks the whole tree,
reading each element's name and attributes and each text node: what the output checks do.
Printed: total milliseconds over all pages (best of 5 runs) and the ratio to the fastest.
`html.parser` (the standard library, not an HTML5 parser) is the reference for the old scan.

html5lib and justhtml are only measured here (`pip install html5lib==1.1 justhtml==3.16.0`);
the site needs selectolax alone.
"""

from __future__ import annotations

import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python benchmarks/parsers.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _selectolax(html: str) -> int:
    from selectolax.lexbor import LexborHTMLParser
    n = 0
    for node in LexborHTMLParser(html, scripting=True).root.traverse(include_text=True):
        if node.is_element_node:
            n += len(node.attributes) + 1
        else:
            n += len(node.text_content or "")
    return n


def _html5lib(html: str) -> int:
    import html5lib
    n = 0
    for el in html5lib.parse(html, namespaceHTMLElements=False).iter():
        n += len(el.attrib) + 1 + len(el.text or "") + len(el.tail or "")
    return n


def _justhtml(html: str) -> int:
    from justhtml import JustHTML
    n = 0
    stack = [JustHTML(html, sanitize=False).root]
    while stack:
        node = stack.pop()
        attrs = getattr(node, "attrs", None)
        n += 1 + (len(attrs) if attrs else 0)
        stack.extend(getattr(node, "children", None) or [])
    return n


def _html_parser(html: str) -> int:
    class Count(HTMLParser):
        n = 0

        def handle_starttag(self, tag, attrs):
            self.n += len(attrs) + 1

        def handle_data(self, data):
            self.n += len(data)

    parser = Count(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    return parser.n


CANDIDATES = {"selectolax 1.0.2 (Lexbor)": _selectolax, "html5lib 1.1": _html5lib,
              "justhtml 3.16.0": _justhtml, "html.parser (stdlib, not HTML5)": _html_parser}


def measure(pages: list[str], read, runs: int = 5) -> float:
    """Best of `runs` wall-clock seconds to read every page."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        for html in pages:
            read(html)
        best = min(best, time.perf_counter() - start)
    return best


def main(folders: list[str]) -> None:
    if not folders:
        from scripts.sitediff import build
        dest = Path(tempfile.mkdtemp(prefix="parsers-"))
        build(dest)
        folders = [str(dest / "public"), str(dest / "staff")]
    pages = [p.read_text(encoding="utf-8") for f in folders for p in sorted(Path(f).rglob("*.html"))]
    size = sum(map(len, pages)) / 1e6
    print(f"{len(pages)} pages, {size:.1f} MB of HTML")
    results = {}
    for name, read in CANDIDATES.items():
        try:
            results[name] = measure(pages, read, runs=5 if "html5lib" not in name else 2)
        except ImportError as err:
            print(f"{name}: not installed ({err.name})")
    fastest = min(results.values())
    for name, seconds in sorted(results.items(), key=lambda kv: kv[1]):
        print(f"{name:34} {seconds * 1000:9.1f} ms  {seconds * 1000 / len(pages):7.2f} ms/page  "
              f"x{seconds / fastest:6.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
