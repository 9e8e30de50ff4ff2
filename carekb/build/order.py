"""When each hook runs within an MkDocs event: the few priorities every hook module uses.

MkDocs calls the hooks of one event from the highest priority to the lowest; hooks of equal
priority run in the order mkdocs.yml lists them, and a hook without `@event_priority` runs at
DEFAULT. The order a build needs, from first to last:

- FIRST: before anything reads the configuration or logs a warning: the `build` command's site
  folder becomes a staging folder (hooks/atomic.py), and our warnings start being counted
  (hooks/safety.py).
- EARLY: the build session starts (hooks/facts.py) before any hook asks it anything; every
  page's audience is decided (hooks/audience.py) before pages are added or read; a page is
  checked as its editor wrote it, before Jinja changes it (hooks/handtyped.py).
- RENDER: Jinja renders the page's Markdown and records which facts it used (hooks/jinja.py).
- AFTER_RENDER: what follows from that render: the page's review dates (hooks/reviewdates.py).
- DEFAULT: hooks that need no particular place.
- LATE: additions to what the hooks above produced: abbreviations after Jinja (so they are never
  read as a template), the staff chapters and stylesheet after the pages are all known.
- CHECKS: the finished thing, after every hook changed it: the page body and the written page
  (readability, privacy), and titles escaped once everything that adds them has run.
- LAST: the build's last word: pages that depend on every other page are moved to the end of
  the render order (hooks/generated.py); the strict-warnings gate and the staging swap run
  after every check (hooks/safety.py, hooks/atomic.py).
- REPORT: the build report is written after every gate, so a failed build writes none.

Plain Python: no MkDocs import (hooks pass these to `mkdocs.plugins.event_priority`).
"""

FIRST = 200
EARLY = 100
RENDER = 50
AFTER_RENDER = 40
DEFAULT = 0
LATE = -50
CHECKS = -100
LAST = -200
REPORT = -300
