"""The public site in Spanish (issue 22), built as `make build` lays it out: English in site/,
Spanish in site/es/, from a project copy with a complete translation (tests/spanish_samples.py).

Twins: every public page has a Spanish twin at the same path, and the reverse; each links to
the other (not to the home page); hreflang alternates are absolute, reciprocal, with x-default,
over the whole site. Numbers: every number of an English page is on its Spanish twin and the
reverse (see `numbers` for what is left out). Spanish interface, crisis help, review dates,
search index, sitemap, 404, JSON-LD, reading ease, and no staff material or other host.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from carekb.web import htmlscan
from carekb.i18n.interface import LANGUAGES, WORDS
from carekb.render.jinja_env import NEUTRAL, TEMPLATES

_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_HREF = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def pages_of(site: Path) -> dict[str, Path]:
    """URL path ("", "costs/", "levels/iop/") -> index.html of every page of one site (not the
    other language's folder)."""
    found = {}
    for index in site.rglob("index.html"):
        rel = index.parent.relative_to(site).as_posix()
        if rel == "es" or rel.startswith("es/"):
            continue
        found["" if rel == "." else rel + "/"] = index
    return found


@pytest.fixture(scope="module")
def english(bilingual_site: Path) -> dict[str, Path]:
    return pages_of(bilingual_site)


@pytest.fixture(scope="module")
def spanish(bilingual_site: Path) -> dict[str, Path]:
    return pages_of(bilingual_site / "es")


def article(html: str) -> str:
    """The text of a page's article as a reader sees it: no footnote marks, no review dates."""
    tree = htmlscan.readings(html)[0]
    found = tree.css("article")
    if not found:
        return ""
    node = found[0]
    for skipped in node.css("sup, .footnote-backref, .kb-page-info, .headerlink, script, template"):
        skipped.decompose()
    return node.text(separator=" ")


def numbers(html: str) -> set[str]:
    """The numbers a reader reads in a page's article, as written (1,944 and 3.5 in both
    languages). Left out, being no figure of care: footnote marks and back-links (their order
    follows the prose), the review dates (a Spanish page has its translation's date too), link
    addresses and phone links' targets (not text; the numbers a link shows are kept), scripts
    (the self-check's data: its labels are compared as text elsewhere)."""
    return set(_NUMBER.findall(article(html)))


def test_every_public_page_has_its_spanish_twin_and_the_reverse(english, spanish):
    assert len(english) > 30
    assert set(english) == set(spanish), (sorted(set(english) - set(spanish)),
                                          sorted(set(spanish) - set(english)))


def test_spanish_pages_are_spanish(spanish, bilingual_site):
    for url, index in spanish.items():
        html = index.read_text(encoding="utf-8")
        assert '<html lang="es"' in html, url
        assert "Saltar a contenido" in html, f"{url}: Material's interface is not Spanish"
        assert '"inLanguage": "es"' in html, url
    not_found = (bilingual_site / "es" / "404.html").read_text(encoding="utf-8")
    assert '<html lang="es"' in not_found and "No se encontró la página" in not_found
    assert "Page not found" not in not_found


def test_each_language_has_its_own_sitemap(bilingual_site):
    english = (bilingual_site / "sitemap.xml").read_text(encoding="utf-8")
    spanish = (bilingual_site / "es" / "sitemap.xml").read_text(encoding="utf-8")
    locs_en = re.findall(r"<loc>([^<]+)</loc>", english)
    locs_es = re.findall(r"<loc>([^<]+)</loc>", spanish)
    assert locs_en and locs_es and len(locs_en) == len(locs_es)
    assert all("/es/" not in loc for loc in locs_en)
    assert all(urlsplit(loc).path.startswith("/es/") for loc in locs_es)


def test_every_figure_is_on_both_twins(english, spanish):
    """Figures are worded by the same code in both languages: the same numbers, page by page."""
    differ = {}
    for url, index in english.items():
        en = numbers(index.read_text(encoding="utf-8"))
        es = numbers(spanish[url].read_text(encoding="utf-8"))
        if en != es:
            differ[url] = (sorted(en - es), sorted(es - en))
    assert differ == {}, differ


def test_hreflang_is_absolute_reciprocal_and_has_x_default(bilingual_site, english, spanish):
    pairs = 0
    for lang, site_pages in (("en", english), ("es", spanish)):
        for url, index in site_pages.items():
            links = dict((h, href) for h, href in _HREF.findall(index.read_text(encoding="utf-8")))
            if not links:
                continue
            assert set(links) == {"en", "es", "x-default"}, (lang, url, links)
            assert links["x-default"] == links["en"]
            assert all(urlsplit(href).scheme == "https" and urlsplit(href).netloc for href in links.values())
            me = links[lang]
            assert urlsplit(me).path.rstrip("/").endswith(("/es/" if lang == "es" else "/") + url.rstrip("/")) \
                or urlsplit(me).path in ("/", "/es/"), (lang, url, me)
            other = "es" if lang == "en" else "en"
            twin_path = urlsplit(links[other]).path
            twin = bilingual_site / twin_path.lstrip("/") / "index.html"
            back = dict(_HREF.findall(twin.read_text(encoding="utf-8")))
            assert back.get(lang) == me and back.get(other) == links[other], (url, back)
            pairs += 1
    assert pairs >= 2 * 30


def test_each_page_links_to_its_twin_not_to_the_home_page(bilingual_site, english, spanish):
    for lang, site_pages, base in (("en", english, bilingual_site), ("es", spanish, bilingual_site / "es")):
        for url, index in site_pages.items():
            html = index.read_text(encoding="utf-8")
            found = re.search(r'class="kb-language__link" href="([^"]+)" hreflang="([^"]+)"', html)
            assert found, (lang, url)
            target = (index.parent / found.group(1)).resolve()
            twin = (bilingual_site / ("" if lang == "es" else "es") / url).resolve()
            assert target == twin, (lang, url, found.group(1))
            assert found.group(2) == ("es" if lang == "en" else "en")


def test_crisis_help_is_in_spanish_on_every_spanish_page(spanish):
    for url, index in spanish.items():
        html = index.read_text(encoding="utf-8")
        assert 'aria-label="Ayuda en caso de crisis"' in html, url
        assert "marque 2 para español" in html and "envíe AYUDA por mensaje de texto al" in html, url
        assert ">Obtener ayuda ahora</a>" in html and "Ir a toda la ayuda en caso de crisis" in html, url
        assert 'href="tel:988"' in html and 'href="tel:911"' in html, url


def test_the_spanish_help_page_has_every_way_to_get_help(spanish):
    text = article(spanish["help/"].read_text(encoding="utf-8"))
    for said in ("988", "AYUDA", "911", "1-800-662-4357", "1-800-487-4889", "711",
                 "en inglés y en español"):
        assert said in text, said


def test_review_dates_in_spanish_with_the_english_they_follow(spanish):
    html = spanish["teens/"].read_text(encoding="utf-8")
    assert "Página revisada por última vez:" in html and "Próxima revisión:" in html
    assert "Traducción revisada:" in html and "Sigue la página en inglés revisada el" in html
    assert re.search(r"\d{1,2} de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre"
                     r"|octubre|noviembre|diciembre) de 20\d\d", html)
    generated = spanish["levels/iop/"].read_text(encoding="utf-8")
    assert "Página revisada por última vez:" in generated


def test_the_spanish_search_index_is_spanish_and_its_own(bilingual_site):
    index = json.loads((bilingual_site / "es" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["es"]
    english = json.loads((bilingual_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert english["config"]["lang"] == ["en"]
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "levels/iop/" in locations and not any(loc.startswith(("es/", "../")) for loc in locations)
    titles = {doc["title"] for doc in index["docs"] if "#" not in doc["location"]}
    assert "Glosario" in titles and "Glossary" not in titles


def test_spanish_reading_ease_is_in_the_report_and_passes(bilingual_site):
    report = json.loads((bilingual_site.parent / "build-report" / "site.es.json").read_text(encoding="utf-8"))
    pages = report["readability"]["pages"]
    assert len(pages) > 30
    for src, entry in pages.items():
        assert entry["fernandez_huerta"] >= 60 and entry["inflesz"] >= 55, (src, entry)
    assert "median_fernandez_huerta" in report["readability"]
    assert not (bilingual_site / "build-report").exists() and not (bilingual_site / "es" / "build-report").exists()


def test_no_staff_material_in_the_spanish_site(bilingual_site):
    spanish = bilingual_site / "es"
    assert not (spanish / "staff").exists()
    for path in spanish.rglob("*.html"):
        assert "staff/" not in re.sub(r'href="https://[^"]*"', "", path.read_text(encoding="utf-8")), path


def test_every_interface_word_and_template_exists_in_spanish():
    """No silent fallback to English: every interface word in both languages, every template a
    Spanish page can load in carekb/templates/es/ (staff templates and NEUTRAL ones aside)."""
    assert all(set(texts) == set(LANGUAGES) and all(texts.values()) for texts in WORDS.values())
    english = {p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.j2")
               if not p.relative_to(TEMPLATES).parts[0] in ("staff", "es")}
    spanish = {p.relative_to(TEMPLATES / "es").as_posix() for p in (TEMPLATES / "es").rglob("*.j2")}
    staff_blocks = {f"blocks/{n}.md.j2" for n in ("asam_table", "billing_table", "steps_table",
                                                  "figure_note", "fits_by_level", "group_kinds",
                                                  "level_summaries", "medicare_rules", "other_coverage")}
    assert english - spanish - set(NEUTRAL) - staff_blocks == set()
    assert spanish <= english


# What a template's twin must keep besides its words: the classes and data- attributes the
# styles, scripts and search read, the attribute lists of Markdown (`{: .kb-in-short-again }`),
# the macros and blocks it imports (macros/wording.md.j2 aside: each language words its own), and
# the calls that cite and link. Words are free; structure follows the English.
_STRUCTURE = re.compile(r'class="([^"{]*)"|\b(data-[a-z-]+)=|\{: (\.[\w-]+) \}'
                        r'|(?:from|import|include) "((?:macros|blocks)/[\w.]+)"|\b(cite|cite_all|link|url_to)\(')


def _structure(path: Path) -> set[str]:
    text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
    found = {part for match in _STRUCTURE.finditer(text) for group in match.groups() if group
             for part in group.split()}
    return found - {"macros/wording.md.j2"}


def test_each_spanish_template_keeps_its_english_twins_structure():
    """A change to an English template's classes, data- attributes, imports or citations is
    made in its Spanish twin too (the twins are made by hand; nothing else tells they drifted)."""
    problems = []
    for twin in sorted((TEMPLATES / "es").rglob("*.j2")):
        english = TEMPLATES / twin.relative_to(TEMPLATES / "es")
        ours, theirs = _structure(twin), _structure(english)
        if ours != theirs:
            problems.append(f"{twin.relative_to(TEMPLATES)}: missing {sorted(theirs - ours)}, "
                            f"extra {sorted(ours - theirs)}")
    assert not problems, "\n".join(problems)


def test_the_english_site_links_hreflang_only_to_current_translations(built_site):
    """In the repository as it is, a page with no current Spanish twin has no hreflang: Google
    counts an untranslated page as a duplicate, not a translation."""
    from carekb.i18n.page_translations import page_statuses

    root = Path(__file__).resolve().parent.parent
    kinds = {s.src: s.kind for s in page_statuses(root / "content", root / "content" / "es", root)}
    for src, kind in kinds.items():
        if src == "index.md":
            continue
        html = (built_site / src.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
        assert bool(_HREF.search(html)) == (kind == "current"), (src, kind)
