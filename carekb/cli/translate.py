"""`carekb-translate`: which translations are stale or missing, and recording that one was updated.

    carekb-translate status                      # every stale or missing translation, located
    carekb-translate mark levels.iop.summary     # facts.es.yaml: its `en:` becomes today's English
    carekb-translate mark content/es/costs.md    # a Spanish page: records the English page it follows
    carekb-translate mark --all-current          # once: every translation that exists is current
    (make translated FIELD=levels.iop.summary does the same as the second line)

Translators never compute a hash or copy English by hand. `mark` rewrites only what it names:
the `en:` of one entry of facts.es.yaml (the rest of the file, its comments and layout, stay
byte for byte), or the `translation:` record in one Spanish page's front matter (carekb/
page_translations.py), and keeps a copy of the English it recorded in
i18n/translated-from/<page> (the staff "Translation queue" shows the English before and after).
`--all-current` records every fact text that has a Spanish text, and every Spanish page, as
translated from the English in force now: for translations made before this command existed.

Exit status: 0 when done (status: when nothing stops the Spanish site from publishing), 1
otherwise; one plain line for each problem, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import yaml

from carekb.model.audience import view
from carekb.load.facts_yaml import FactsError, load_facts
from carekb.model.facts import PUBLIC
from carekb.i18n.page_translations import (SNAPSHOTS, english_hash, front_matter,
                                      page_statuses)
from carekb.i18n.spanish_terms import term_problems
from carekb.i18n.translations import FILE, Status, normal, parse_translations, statuses, translatable
from carekb.load.yamlload import STR, implicit_tag

WIDTH = 96


class TranslateError(Exception):
    """What cannot be done, in plain words."""


def paths(project: Path) -> tuple[Path, Path, Path, Path]:
    """(facts.yaml, facts.es.yaml, content/, content/es/) of a project."""
    facts = project / "facts.yaml"
    return facts, project / FILE, project / "content", project / "content" / "es"


def fact_statuses(project: Path) -> tuple[list[Status], dict, dict, Any]:
    """Every fact text's status, the English texts by path, facts.es.yaml's entries and the
    facts."""
    facts_file, texts_file, _, _ = paths(project)
    try:
        facts, _ = load_facts(facts_file)
    except FactsError as error:
        raise TranslateError(f"{facts_file.name} has errors; fix them first (make check):\n{error}") from None
    texts = translatable(view(facts, PUBLIC))
    text = texts_file.read_text(encoding="utf-8") if texts_file.is_file() else ""
    entries, problems = parse_translations(text, FILE)
    if problems:
        raise TranslateError("\n".join(map(str, problems)))
    return statuses(texts, entries), texts, entries, facts


def all_statuses(project: Path) -> tuple[list[Status], list[Any]]:
    """(fact texts, Spanish pages and texts off the term choices) of a project, every status."""
    facts, _, entries, fact_base = fact_statuses(project)
    _, _, english, spanish = paths(project)
    return facts, [*page_statuses(english, spanish, project),
                   *term_problems(fact_base, entries, spanish, project)]


# -- facts.es.yaml: one entry's `en:` ------------------------------------------------------------
def yaml_text(key: str, text: str, indent: int) -> list[str]:
    """`key: text` as YAML lines at `indent`: plain on one line when that reads back the same,
    else a folded block (`>-`) wrapped at WIDTH."""
    pad = " " * indent
    one = f"{pad}{key}: {text}"
    if len(one) <= WIDTH and _plain_ok(text):
        return [one]
    lines = textwrap.wrap(" ".join(text.split()), width=WIDTH - indent - 2, break_long_words=False,
                          break_on_hyphens=False)
    return [f"{pad}{key}: >-", *(f"{pad}  {line}" for line in lines)]


def _plain_ok(text: str) -> bool:
    try:
        node = yaml.compose(f"k: {text}\n").value[0][1]
    except yaml.YAMLError:
        return False
    return isinstance(node, yaml.ScalarNode) and node.value == text and implicit_tag(node) == STR


def set_english(source: str, path: str, english: str) -> str:
    """facts.es.yaml's text with entry `path`'s `en:` set to `english`; nothing else changes."""
    root = yaml.compose(source) if source.strip() else None
    if not isinstance(root, yaml.MappingNode):
        raise TranslateError(f"{FILE} holds no entries")
    lines = source.split("\n")
    for key, value in root.value:
        if key.value != path:
            continue
        if not isinstance(value, yaml.MappingNode):
            raise TranslateError(f"{FILE}:{key.start_mark.line + 1}: {path} should hold `en:` and `es:`")
        for k, v in value.value:
            if k.value == "en":
                start, end = k.start_mark.line, _end_line(v, lines)
                new = yaml_text("en", english, k.start_mark.column)
                return "\n".join(lines[:start] + new + lines[end:])
        first = value.value[0][0] if value.value else None
        column = first.start_mark.column if first is not None else key.start_mark.column + 2
        at = key.start_mark.line + 1
        return "\n".join(lines[:at] + yaml_text("en", english, column) + lines[at:])
    raise TranslateError(f"{FILE} has no entry `{path}:`; add it with `es:` (the Spanish) first")


def _end_line(node: yaml.Node, lines: list[str]) -> int:
    """The line after the last line of a value (a block scalar's end mark is the next key)."""
    end = node.end_mark.line if node.end_mark.column == 0 else node.end_mark.line + 1
    while end - 1 > node.start_mark.line and not lines[end - 1].strip():
        end -= 1  # a block scalar's end takes in the blank lines after it: keep them
    return end


def mark_fact(project: Path, path: str) -> str:
    """Record that the Spanish of `path` follows today's English; returns what was done."""
    found, texts, entries, _ = fact_statuses(project)
    _, texts_file, _, _ = paths(project)
    if path not in texts:
        raise TranslateError(f"facts.yaml has no text `{path}` to translate (lists count from 1, "
                             "like levels.iop.fits[1])")
    entry = entries.get(path)
    if entry is None or not (entry.es or "").strip():
        raise TranslateError(f"{FILE} has no Spanish for `{path}`: add `{path}:` with `es:` first")
    english = texts[path].english
    if entry.en is not None and normal(entry.en) == normal(english):
        return f"{path}: already current"
    source = texts_file.read_text(encoding="utf-8")
    changed = set_english(source, path, english)
    check, problems = parse_translations(changed, FILE)
    if problems or normal(check[path].en or "") != normal(english) or check[path].es != entry.es:
        raise TranslateError(f"{FILE}: could not record `{path}` safely; nothing was changed")
    texts_file.write_text(changed, encoding="utf-8")
    return f"{FILE}:{entry.line}: {path}: recorded as translated from today's English"


# -- a Spanish page's `translation:` record -------------------------------------------------------
def page_src(project: Path, name: str) -> str:
    """A Spanish page's path in content/es/ from what a translator typed (content/es/costs.md,
    es/costs.md or costs.md)."""
    path = Path(name)
    full = path if path.is_absolute() else project / path
    try:
        return full.resolve().relative_to(paths(project)[3].resolve()).as_posix()
    except ValueError:
        pass
    for prefix in ("content/es/", "es/"):
        if name.startswith(prefix):
            return name[len(prefix):]
    return path.as_posix()


def record_lines(of: str, digest: str, reviewed: dt.date) -> list[str]:
    """The front-matter lines of a translation record."""
    return ["translation:", f"  of: {of}", f"  hash: {json.dumps(digest)}",
            f"  reviewed: {reviewed.isoformat()}"]


def set_record(text: str, record: list[str]) -> str:
    """The page's text with its `translation:` record replaced (or added at the end of its front
    matter); nothing else changes."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return "\n".join(["---", *record, "---", *lines])
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if close is None:
        raise TranslateError("the front matter is never closed (no second `---` line)")
    start = next((i for i in range(1, close) if lines[i].startswith("translation:")), None)
    if start is None:
        return "\n".join(lines[:close] + record + lines[close:])
    end = start + 1
    while end < close and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
        end += 1
    return "\n".join(lines[:start] + record + lines[end:])


def mark_page(project: Path, name: str, *, today: dt.date | None = None,
              keep_date: bool = False) -> str:
    """Record that Spanish page `name` follows its English page as it is now."""
    _, _, english, spanish = paths(project)
    src = page_src(project, name)
    page = spanish / src
    if not page.is_file():
        raise TranslateError(f"there is no Spanish page {page.relative_to(project)}")
    text = page.read_text(encoding="utf-8")
    meta, _, _ = front_matter(text)
    of = str((meta.get("translation") or {}).get("of") or src) if isinstance(meta.get("translation"), dict) else src
    source = english / of
    if not source.is_file():
        raise TranslateError(f"there is no English page {source.relative_to(project)} for "
                             f"{page.relative_to(project)}")
    english_text = source.read_text(encoding="utf-8")
    reviewed = meta.get("reviewed") if keep_date and isinstance(meta.get("reviewed"), dt.date) \
        else (today or dt.date.today())
    page.write_text(set_record(text, record_lines(of, english_hash(english_text), reviewed)),
                    encoding="utf-8")
    snapshot = project / SNAPSHOTS / of
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    snapshot.write_text(english_text, encoding="utf-8")
    return f"{page.relative_to(project)}: recorded as translated from {source.relative_to(project)} as it is now"


def mark_all(project: Path) -> list[str]:
    """`--all-current`: every fact text with a Spanish text, and every Spanish page, current."""
    done = []
    found, _, _, _ = fact_statuses(project)
    for status in found:
        if status.kind == "stale":
            done.append(mark_fact(project, status.path))
    for page in page_statuses(*paths(project)[2:], project):
        if page.kind in ("stale", "current"):
            done.append(mark_page(project, page.spanish, keep_date=True))
    return done


def report(project: Path) -> tuple[list[str], int]:
    """The status lines (every stale, missing or orphan translation), and how many of them stop
    the Spanish site from publishing."""
    facts, pages = all_statuses(project)
    lines = [f"{s.severity}: {s.message()}" for s in [*facts, *pages] if s.kind != "current"]
    current = sum(1 for s in facts if s.kind == "current")
    pages_current = sum(1 for s in pages if s.kind == "current")
    lines.append(f"{current} of {len(facts)} fact texts and {pages_current} of "
                 f"{sum(1 for s in pages if s.kind not in ('orphan', 'term'))} pages have a current "
                 "Spanish translation.")
    return lines, sum(1 for s in [*facts, *pages] if s.kind != "current" and s.severity == "warning")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="carekb-translate", description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path("."), help="the folder holding mkdocs.yml")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("status", help="list every stale or missing translation")
    mark = commands.add_parser("mark", help="record that translations were updated")
    mark.add_argument("names", nargs="*", help="fact paths (levels.iop.summary) or Spanish pages")
    mark.add_argument("--all-current", action="store_true",
                      help="record every existing translation as current (once, for older ones)")
    args = parser.parse_args(argv)
    project = args.project.resolve()
    try:
        if args.command == "status":
            lines, count = report(project)
            print("\n".join(lines))
            return 1 if count else 0
        if not args.names and not args.all_current:
            parser.error("name what you translated (a fact path or a page), or --all-current")
        done = mark_all(project) if args.all_current else []
        for name in args.names:
            is_page = name.endswith(".md")
            done.append(mark_page(project, name) if is_page else mark_fact(project, name))
        print("\n".join(done) if done else "Nothing to record: every translation is current.")
        return 0
    except (TranslateError, OSError, UnicodeDecodeError) as error:
        print(f"Not recorded: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
