"""Every gate of the English site holds for the Spanish site (issue 22 point 9): a few cases of the
hostile corpus (tests/test_hostile_output.py) written into a Spanish page, a hostile Spanish text
in facts.es.yaml, a figure typed by hand in Spanish, and a Spanish page too hard to read. Each is
a strict build of the Spanish site of a project copy with a complete translation; each refusal
names the file and line, with no traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_hostile_output import LIVE, RAW, STAFF_LEAK, live_payloads, run_build

PAGE = "content/es/hostile.md"
STAFF = "../../staff/billing/"  # the English site's staff page, from es/hostile/
FRONT = "---\ntitle: Página hostil\nreviewed: 2026-11-01\n---\n\n# Página hostil\n\nUna página corta.\n\n"
CASES = [
    ("script", "<script>alert(1)</script>", RAW),
    ("img-onerror", "<img src=x onerror=alert(1)>", RAW),
    ("iframe-other-host", '<iframe src="https://tracker.example/"></iframe>', RAW),
    ("tracker-image", '<img src="https://tracker.example/x.gif" alt="">', "privacy: "),
    ("staff-link", f'<a href="{STAFF}">x</a>', STAFF_LEAK),
    ("handtyped-spanish", "Reciben tratamiento de 9 a 19 horas por semana.", "is typed by hand"),
    ("too-hard", "No obstante las consideraciones institucionales, las intervenciones terapéuticas "
                 "multidisciplinarias necesitan documentación individualizada exhaustivamente "
                 "pormenorizada y transdisciplinariamente contextualizada.", "Spanish reading ease"),
]


@pytest.fixture(scope="module")
def project(spanish_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    root = Path(shutil.copytree(spanish_project, tmp_path_factory.mktemp("es-gates") / "p", symlinks=True))
    with (root / "mkdocs.es.yml").open("a", encoding="utf-8") as config:
        config.write("\nnot_in_nav: |\n  /hostile.md\n")
    return root


@pytest.mark.parametrize("case,body,expected", CASES, ids=[c[0] for c in CASES])
def test_a_hostile_spanish_page_is_refused_naming_it(case, body, expected, project, tmp_path):
    (project / PAGE).write_text(FRONT + body + "\n", encoding="utf-8")
    try:
        result = run_build(project, tmp_path / "es", ("--strict",), config="mkdocs.es.yml")
    finally:
        (project / PAGE).unlink()
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert PAGE in output and "Traceback" not in output, output[-3000:]
    assert expected in output, output[-3000:]
    if expected in (LIVE, RAW):
        assert f"{PAGE}:10:" in output, output[-2000:]
    assert not (tmp_path / "es").exists(), "a failed build left a site behind"


def test_a_hostile_spanish_text_is_refused_at_its_line(project, tmp_path):
    texts = project / "facts.es.yaml"
    before = texts.read_text(encoding="utf-8")
    texts.write_text(before + '\nlevels.op.hostile:\n  en: x\n  es: "Hola <img src=x onerror=alert(1)>"\n',
                     encoding="utf-8")
    try:
        result = run_build(project, tmp_path / "es", ("--strict",), config="mkdocs.es.yml")
    finally:
        texts.write_text(before, encoding="utf-8")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    line = before.count("\n") + 4
    assert f"facts.es.yaml:{line}:1: levels.op.hostile.es: contains HTML code" in output, output[-2000:]


def test_the_spanish_site_built_as_is_runs_nothing_and_loads_nothing_from_elsewhere(bilingual_site):
    assert live_payloads(bilingual_site / "es") == []
