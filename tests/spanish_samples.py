"""A project copy whose Spanish site is complete, for the tests of the Spanish site.

Until every text and page of the public site has its Spanish translation (facts.es.yaml and
content/es/ are the translators' work, issue 22), a strict Spanish build of the repository
refuses the missing crisis, safety, medicine and self-check texts. `complete_spanish(project)`
fills a copy so it builds strictly, as a finished translation would:

- facts.es.yaml: the project's own entries, then tests/samples/es/facts.es.yaml (a few texts in
  real Spanish: crisis help, detox, naloxone, level names), then, for every text still missing
  or stale, a stand-in: the fact's Spanish term where the glossary of term choices names one
  (terms_es), else the English text itself (so the Spanish site shows it, marked as current);
- content/es/: every missing or stale page becomes a copy of its English page;
- everything is recorded as current with `carekb-translate mark --all-current`.

What the tests then check is the machinery (twins, numbers, search, gates), on real Spanish
where it exists (the templates, content/es/'s pages, the sample's texts).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from carekb.model.audience import view
from carekb.load.facts_yaml import load_facts
from carekb.model.facts import PUBLIC
from carekb.i18n.page_translations import page_statuses
from carekb.cli.translate import main as translate, yaml_text
from carekb.i18n.translations import FILE, normal, parse_translations, translatable

SAMPLE = Path(__file__).resolve().parent / "samples" / "es" / FILE
NAME_FIELD = {"levels": "name", "formats": "name", "modalities": "name", "conditions": "name",
              "crisis": "name", "glossary": "term"}


def complete_spanish(project: Path) -> Path:
    """Fill `project` (a copy) with a complete Spanish translation; return it."""
    facts, _ = load_facts(project / "facts.yaml")
    texts = translatable(view(facts, PUBLIC))
    own = (project / FILE).read_text(encoding="utf-8") if (project / FILE).is_file() else ""
    entries, problems = parse_translations(own)
    assert not problems, problems
    sample, problems = parse_translations(SAMPLE.read_text(encoding="utf-8"))
    assert not problems, problems
    terms = {f"{t.fact}.{NAME_FIELD[t.fact.split('.')[0]]}": t.es
             for t in (facts.terms_es.terms.values() if facts.terms_es else ())
             if t.fact and t.fact.split(".")[0] in NAME_FIELD}
    lines = [own.rstrip("\n"), "", "# Stand-ins written by tests/spanish_samples.py"]
    for path, text in texts.items():
        entry = entries.get(path)
        if entry is not None and entry.es and normal(entry.en or "") == normal(text.english):
            continue  # the translators' own, current
        spanish = sample[path].es if path in sample else terms.get(path, text.english)
        key = json.dumps(path) if path in entries else path  # a later key wins: YAML keeps the last
        lines += [f"{key}:", *yaml_text("en", text.english, 2), *yaml_text("es", spanish, 2)]
    (project / FILE).write_text(_unique("\n".join(lines) + "\n"), encoding="utf-8")
    english, spanish = project / "content", project / "content" / "es"
    for page in page_statuses(english, spanish, project):
        if page.kind in ("missing", "stale"):
            target = spanish / page.src
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(english / page.src, target)
    assert translate(["--project", str(project), "mark", "--all-current"]) == 0
    return project


def _unique(text: str) -> str:
    """Keep the last entry of each path (stand-ins replace stale entries of the project's own)."""
    blocks: dict[str, list[str]] = {}
    order: list[str] = []
    current = None
    head: list[str] = []
    for line in text.split("\n"):
        if line and not line.startswith((" ", "#")):
            current = json.loads(line[:-1]) if line.startswith('"') else line[:-1]
            if current in blocks:
                order.remove(current)
            blocks[current] = [f"{current}:"]
            order.append(current)
        elif current is None:
            head.append(line)
        else:
            blocks[current].append(line)
    return "\n".join(head + [ln for key in order for ln in blocks[key] + [""]]) + "\n"
