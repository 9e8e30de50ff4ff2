"""The one table of self-check answer profiles and what each must rank first.

Both rankings are tested against it: the Python one (tests/test_selfcheck_rules.py) and the
page's script, clicked through as a person would (tests/browser/test_browser_self_check_profiles.py).
Answers are written as the page shows them: question id and answer label.
"""

from __future__ import annotations

NO_DANGER = {"withdrawal": "No", "severity": "No", "home": "Yes"}

# name, answers, the level ranked first, levels that must also be on the list (kept in view)
PROFILES: list[tuple[str, dict[str, str], str, tuple[str, ...]]] = [
    ("risky withdrawal, lives at home, works",
     {"withdrawal": "Yes", "home": "Yes", "work_school": "Yes"}, "withdrawal", ()),
    ("risky withdrawal, no care around the clock needed",
     {"withdrawal": "Yes", "severity": "No"}, "withdrawal", ()),
    ("risky withdrawal, unsafe home, works",
     {"withdrawal": "Yes", "home": "No", "work_school": "Yes"}, "withdrawal", ("residential",)),
    ("risky withdrawal and needs care around the clock",
     {"withdrawal": "Yes", "severity": "Yes"}, "inpatient", ("withdrawal", "residential")),
    ("needs care around the clock",
     {"severity": "Yes"}, "residential", ("inpatient",)),
    ("needs care around the clock, works full time",
     {"severity": "Yes", "work_school": "Yes", "how_much": "A lot"}, "residential", ()),
    ("unsafe home",
     {"home": "No"}, "residential", ()),
    ("unsafe home, safe between sessions, works",
     {"home": "No", "severity": "No", "work_school": "Yes"}, "residential", ()),
    ("no danger, mild problems, works full time",
     {**NO_DANGER, "how_much": "A little", "work_school": "Yes", "recent_care": "No"}, "early_intervention",
     ("op", "iop")),
    ("no danger, a lot of problems, works full time",
     {**NO_DANGER, "how_much": "A lot", "work_school": "Yes"}, "op", ("iop",)),
    ("just finished residential",
     {"recent_care": "Yes"}, "php", ("iop",)),
    ("just finished residential, no danger",
     {**NO_DANGER, "recent_care": "Yes", "how_much": "A lot"}, "php", ("iop", "op")),
    ("just finished residential, works",
     {"recent_care": "Yes", "work_school": "Yes"}, "iop", ("php",)),
    ("not sure about withdrawal, mild problems",
     {"withdrawal": "Not sure", "how_much": "A little", "work_school": "Yes"}, "early_intervention",
     ("withdrawal",)),
    ("not sure about care around the clock, works",
     {"severity": "Not sure", "work_school": "Yes", "home": "Yes"}, "op", ("residential",)),
]
