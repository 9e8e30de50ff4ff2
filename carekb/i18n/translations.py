"""The Spanish texts of facts.yaml (`facts.es.yaml`), and which of them are stale or missing.

Every public text of facts.yaml (a name, a summary, a line of `fits`, a note's text, a crisis
option, a self-check question...: `translatable`) is translated once, per field, in
facts.es.yaml, keyed by its path as messages write it (lists count from 1):

    levels.iop.summary:
      en: Several hours of treatment on several days each week, ...   # the English it was made from
      es: Varias horas de tratamiento varios días por semana, ...

Figures, ids, abbreviations, addresses, phone numbers, sources' titles and publishers are never
translated: the Spanish site shows the same ones, worded by carekb/render/wording.py. A translation
knows the English it was made from (`en:`). When facts.yaml says something else now, the
translation is **stale**; a text with no entry is **missing**; an entry whose path names no
text is an **orphan** (`statuses`). `carekb-translate mark PATH` records that a translation was
updated (carekb/cli/translate.py): it rewrites that entry's `en:` only.

The Spanish build (`apply`) shows each current translation; a stale or missing text is shown in
English, marked (carekb/i18n/untranslated.py: `lang="en"` and a short Spanish notice), never
silently. Texts about crisis help, safety, medicines and the self-check are **critical**
(`CRITICAL`): while one is stale or missing, the Spanish site is refused (a warning, which every
strict build and publishing refuses).

Plain Python: no MkDocs import.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from carekb.load.pageinput import read_text
from carekb.load.plaintext import plain_text_problem
from carekb.base.problems import WARNING, Problem
from carekb.load.yamlload import MAX_BYTES, STR, implicit_tag, yaml_tree
from carekb.model.facts import GROUPS

FILE = "facts.es.yaml"
MAX_CHARS = 2_000
# The texts whose translation must never be stale or missing on the Spanish site: crisis help,
# safety warnings, medicines and the self-check (fact paths, `*` any part). Pages: see
# carekb/i18n/page_translations.py CRITICAL_PAGES.
CRITICAL = ("crisis.*", "self_check.*", "levels.*.warnings*", "modalities.medication*",
            "glossary.naloxone.*", "glossary.moud.*", "glossary.otp.*", "glossary.detox.*",
            "glossary.tolerance.*", "glossary.lifeline_988.*")

# The text fields of each kind of fact (`name[]`: each line of a list). Read only where the
# public view has them: staff-only facts are never translated, nor what no page shows (the
# self-check's situations), nor a glossary term that is an abbreviation or a number (`_kept`).
FIELDS: dict[str, tuple[str, ...]] = {
    "Level": ("name", "summary", "lives", "fits[]", "not_a_fit[]", "also_called[]"),
    "Headline": ("length_why", "cost_why"),
    "Figure": ("note",),
    "Note": ("text",),
    "Source": ("note",),
    "Format": ("name", "description", "also_called[]"),
    "Modality": ("name", "description", "examples[]", "also_called[]"),
    "Condition": ("name", "description", "examples[]", "also_called[]"),
    "Term": ("term", "stands_for", "meaning", "also_called[]"),
    "CrisisResource": ("name", "description", "options[]"),
    "Payer": ("name",),
    "SelfCheck": ("intro",),
    "Question": ("ask", "ask_them", "hint", "hint_them"),
    "Answer": ("label", "because", "because_them", "if_outweighed", "if_outweighed_them"),
    "Together": ("because", "because_them", "if_outweighed", "if_outweighed_them"),
    "Step": ("text", "text_them"),
    "PageLink": ("title",),
}
_ONE_LINE = ("name", "label", "title", "term", "stands_for")
_SKIP = {"path", "loc", "owner", "field_locs"}


def normal(text: str) -> str:
    """Text as compared: runs of white space are one space (a re-wrapped line is not a change)."""
    return " ".join(text.split())


def critical(path: str) -> bool:
    """Whether the text at `path` is crisis, safety, medicine or self-check text."""
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in CRITICAL)


@dataclass(frozen=True)
class Text:
    """One translatable English text of the facts: its path, its words, where its entity is,
    and where it sits in the fact base it was read from (`node`, `attr`, `index`: a list's
    item, counting from 0), so carekb/i18n/spanish_view.py can put the Spanish in its place."""

    path: str
    english: str
    file: str
    line: int
    node: Any = dataclasses.field(default=None, compare=False, repr=False)
    attr: str = ""
    index: int | None = None


@dataclass(frozen=True)
class Entry:
    """One entry of facts.es.yaml: the English it was made from, its Spanish, and its lines."""

    path: str
    en: str | None
    es: str | None
    line: int  # the line of the entry's key
    en_line: int | None = None  # the line of its `en:` key (carekb/cli/translate.py rewrites it)


@dataclass(frozen=True)
class Status:
    """How one text stands: "current", "stale", "missing" or "orphan"."""

    path: str
    kind: str
    english: str | None  # in force now, in facts.yaml (None for an orphan)
    recorded: str | None  # the English the translation was made from (`en:`)
    spanish: str | None
    where: str  # file:line to change
    critical: bool

    def message(self) -> str:
        """One located line for `make check`, the build and the preview."""
        now = f' English now: "{_short(self.english)}"' if self.english is not None else ""
        if self.kind == "missing":
            return (f"{self.where}: {self.path}: no Spanish text in {FILE}.{now} Fix: add "
                    f"`{self.path}:` with `en:` (this English) and `es:` (its Spanish) to {FILE}.")
        if self.kind == "stale" and self.recorded is None:
            return (f"{self.where}: {self.path}: records no English it was made from (`en:`).{now} "
                    f"Fix: check `es:` against it, then run `carekb-translate mark {self.path}`.")
        if self.kind == "stale":
            return (f"{self.where}: {self.path}: the English changed since this was translated "
                    f'(translated from: "{_short(self.recorded)}").{now} Fix: update `es:`, '
                    f"then run `carekb-translate mark {self.path}`.")
        return (f"{self.where}: {self.path}: facts.yaml has no such text, so this translation is "
                "never shown. Fix: correct the path, or delete the entry.")

    @property
    def severity(self) -> str:
        """A warning (publishing refuses it) for critical texts and orphans; else a notice."""
        return WARNING if self.critical or self.kind == "orphan" else "notice"


def _short(text: str, limit: int = 160) -> str:
    text = normal(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


# -- the English texts --------------------------------------------------------------------------
def translatable(facts: Any) -> dict[str, Text]:
    """Every public text of a fact base (use the public view) to translate, by path."""
    out: dict[str, Text] = {}
    for group in (g for g in GROUPS if g != "billing_codes"):  # staff-only: never translated
        for entity in getattr(facts, group, {}).values():
            _walk(entity, out)
    if getattr(facts, "self_check", None) is not None:
        _walk(facts.self_check, out)
    return out


def _walk(node: Any, out: dict[str, Text]) -> None:
    fields, children = _plan(type(node))
    loc = node.loc
    for attr, many in fields:
        value = getattr(node, attr, None)
        if many and isinstance(value, (list, tuple)):
            for i, item in enumerate(value, 1):
                if isinstance(item, str) and item.strip():
                    path = f"{node.path}.{attr}[{i}]"
                    out[path] = Text(path, item, loc.file, loc.line, node, attr, i - 1)
        elif isinstance(value, str) and value.strip() and not _kept(node, attr, value):
            path = f"{node.path}.{attr}"
            out[path] = Text(path, value, loc.file, _line(node, attr), node, attr)
    for name in children:
        value = getattr(node, name, None)
        items = (value.values() if isinstance(value, dict) else
                 value if isinstance(value, (list, tuple)) else (value,))
        for item in items:
            if dataclasses.is_dataclass(item) and hasattr(item, "path") and hasattr(item, "loc"):
                _walk(item, out)


@functools.lru_cache(maxsize=None)
def _plan(cls: type) -> tuple[tuple[tuple[str, bool], ...], tuple[str, ...]]:
    """(text fields as (name, is a list), fields that may hold facts) of a kind of fact, once."""
    fields: tuple[str, ...] = ()
    for base in cls.__mro__:
        if base.__name__ in FIELDS:
            fields = FIELDS[base.__name__]
            break
    texts = tuple((f[:-2], True) if f.endswith("[]") else (f, False) for f in fields)
    children = tuple(f.name for f in dataclasses.fields(cls) if f.name not in _SKIP)
    return texts, children


def _kept(node: Any, attr: str, value: str) -> bool:
    """A glossary term that is an abbreviation (it says what it `stands_for`) or holds no word
    (988) reads the same in Spanish: it is not translated."""
    return attr == "term" and (bool(getattr(node, "stands_for", None))
                               or not any(ch.islower() for ch in value))


def _line(node: Any, attr: str) -> int:
    at = getattr(node, "at", None)
    return at(attr).line if callable(at) else node.loc.line


# -- facts.es.yaml ------------------------------------------------------------------------------
def read_translations(path: str | Path, name: str = FILE) -> tuple[dict[str, Entry], list[Problem]]:
    """The entries of facts.es.yaml (none when it does not exist), and every problem of form."""
    path = Path(path)
    if not path.is_file():
        return {}, []
    try:
        text = read_text(path, MAX_BYTES)
    except (OSError, ValueError) as error:
        return {}, [Problem(name, None, None, "", f"cannot be read ({error}).",
                            "save it as UTF-8 text.")]
    return parse_translations(text, name)


def parse_translations(text: str, name: str = FILE) -> tuple[dict[str, Entry], list[Problem]]:
    """`read_translations` of the file's text (a fresh dict each time; the file read once per
    text: the preview reads it again on every save)."""
    entries, problems = _parse(text, name)
    return dict(entries), list(problems)


@functools.lru_cache(maxsize=4)
def _parse(text: str, name: str) -> tuple[dict[str, Entry], list[Problem]]:
    root, problems = yaml_tree(text, name)
    if root is None:
        return {}, problems
    if isinstance(root, yaml.ScalarNode) and root.value == "":
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        return {}, [Problem(name, 1, 1, "", "should be a list of `path:` entries, each with `en:` "
                            "and `es:`.", "start each entry with its fact path, like "
                            "`levels.iop.summary:`.")]
    entries: dict[str, Entry] = {}
    for key, value in root.value:
        line = key.start_mark.line + 1
        path = str(key.value)
        if path in entries:
            problems.append(Problem(name, line, 1, path, f"is given twice (also on line "
                                    f"{entries[path].line}); YAML would keep only the last one.",
                                    "delete the one that is wrong."))
            continue
        if not isinstance(value, yaml.MappingNode):
            problems.append(Problem(name, line, 1, path, "should hold `en:` and `es:`.",
                                    "indent `en: <English>` and `es: <Spanish>` under it."))
            continue
        found: dict[str, tuple[str, int]] = {}
        for k, v in value.value:
            field = str(k.value)
            at = k.start_mark.line + 1
            if field not in ("en", "es"):
                problems.append(Problem(name, at, k.start_mark.column + 1, f"{path}.{field}",
                                        "is not `en` or `es`.", "write `en:` (the English it "
                                        "was made from) and `es:` (the Spanish)."))
                continue
            said = _scalar(v, f"{path}.{field}", name, problems)
            if said is not None:
                found[field] = (said, at)
        es = found.get("es", (None, 0))[0]
        if es is not None:
            wrong = plain_text_problem(es, path.rsplit(".", 1)[-1].split("[")[0] in _ONE_LINE,
                                       MAX_CHARS)
            if wrong:
                problems.append(Problem(name, found["es"][1], 1, f"{path}.es", wrong[0], wrong[1]))
                es = None
        entries[path] = Entry(path, found.get("en", (None, 0))[0], es, line,
                              found["en"][1] if "en" in found else None)
    return entries, problems


def _scalar(node: yaml.Node, path: str, name: str, problems: list[Problem]) -> str | None:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if not isinstance(node, yaml.ScalarNode):
        problems.append(Problem(name, line, column, path, "should be text.",
                                "write the text on the same line, or as a `>-` block."))
        return None
    if node.style is None and implicit_tag(node) != STR and node.value != "":
        problems.append(Problem(name, line, column, path, f"`{node.value}` would be read as "
                                "something other than text.", f'put it in quotes: "{node.value}"'))
        return None
    return node.value


# -- how each text stands -------------------------------------------------------------------------
def statuses(texts: dict[str, Text], entries: dict[str, Entry], name: str = FILE) -> list[Status]:
    """Every text's status, in facts.yaml order, then the orphans in facts.es.yaml order."""
    out = []
    for path, text in texts.items():
        entry = entries.get(path)
        if entry is None or entry.es is None or not entry.es.strip():
            out.append(Status(path, "missing", text.english, entry.en if entry else None, None,
                              f"{text.file}:{text.line}", critical(path)))
        elif entry.en is None or normal(entry.en) != normal(text.english):
            out.append(Status(path, "stale", text.english, entry.en, entry.es,
                              f"{name}:{entry.line}", critical(path)))
        else:
            out.append(Status(path, "current", text.english, entry.en, entry.es,
                              f"{name}:{entry.line}", critical(path)))
    out += [Status(path, "orphan", None, entry.en, entry.es, f"{name}:{entry.line}", False)
            for path, entry in entries.items() if path not in texts]
    return out


def problems_of(found: list[Status]) -> list[Status]:
    """The statuses that are not current (what `make check` and the queue list)."""
    return [s for s in found if s.kind != "current"]
