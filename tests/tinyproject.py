"""A tiny sample project: the real hooks, theme overrides and publish script, a small fact base
(tests/samples/, `CHECK`) and a few pages, for tests of building, staging and publishing that
need a site of this project's kind, not the real one (a strict build in about a second, where
the real site takes three or four).

Its public site: the home page, `faq.md` (which shows IOP's adult hours, "9 to 19 hours a
week", from the facts), `costs.md` (a block: the cost table) and the pages made from the facts (levels, therapies, compare, glossary,
sources), and one staff page, content/staff/billing.md, which the public site leaves out. It has
no staff handbook: the handbook's generated pages need the real fact base.

Its Spanish twin (mkdocs.es.yml, built into es/ as publishing does): the same pages, its
translation completed by tests/spanish_samples.py (real Spanish where the samples have it,
stand-ins for the rest), so it builds and publishes strictly.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.factsamples import CHECK
from tests.sitebuilds import REPO_ROOT

NAV = """
nav:
  - Home: index.md
  - Questions people ask: faq.md
  - Costs and insurance: costs.md
  - Levels of care:
      - levels/index.md
  - Compare levels: compare.md
  - Therapies and services:
      - modalities/index.md
  - Glossary: glossary.md
  - Sources: sources.md
"""
NAV_ES = """
nav:
  - Inicio: index.md
  - Preguntas frecuentes: faq.md
  - Costos y seguro médico: costs.md
  - Niveles de atención:
      - levels/index.md
  - Comparar los niveles: compare.md
  - Terapias y servicios:
      - modalities/index.md
  - Glosario: glossary.md
  - Fuentes: sources.md
"""
PAGES = {
    "index.md": "---\ntitle: A tiny guide\nreviewed: 2026-11-01\n---\n\n# A tiny guide\n\n"
                "This guide is small. It has a few pages.\n",
    "faq.md": "---\ntitle: Questions people ask\nreviewed: 2026-11-01\n---\n\n# Questions people ask\n\n"
              "An IOP takes {{ fact(\"levels.iop.hours_per_week.adults\") }}.\n",
    "costs.md": "---\ntitle: Costs and insurance\nreviewed: 2026-11-01\n---\n\n# Costs and insurance\n\n"
                "What each level costs:\n\n{{ block(\"cost_table\") }}\n",
    "staff/billing.md": "---\ntitle: Billing\naudience: staff\nreviewed: 2026-11-01\n---\n\n"
                        "# Billing\n\nAsk the billing team.\n",
}


def make_tiny_project(root: Path) -> Path:
    """Write the tiny project into `root` (a new folder) and return `root`."""
    for folder in ("hooks", "overrides", "scripts"):
        shutil.copytree(REPO_ROOT / folder, root / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    config = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config[:config.index("\nnav:")] + NAV
    config = re.sub(r"(?m)^site_name: .*$", "site_name: Tiny Guide", config, count=1)
    config = config.replace("extra_css:\n  - assets/print.css\n", "")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / "facts.yaml").write_text(CHECK, encoding="utf-8")
    for rel, text in PAGES.items():
        page = root / "content" / rel
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(text, encoding="utf-8")
    spanish = (REPO_ROOT / "mkdocs.es.yml").read_text(encoding="utf-8")
    spanish = spanish[:spanish.index("\nnav:")] + NAV_ES
    spanish = re.sub(r"(?m)^site_name: .*$", "site_name: Guía pequeña", spanish, count=1)
    (root / "mkdocs.es.yml").write_text(spanish, encoding="utf-8")
    (root / "content" / "es").mkdir()
    from tests.spanish_samples import complete_spanish

    complete_spanish(root)
    return root
