"""The Spanish reading-ease measure (carekb/checks/readability_es.py): its syllable counter against a
hand-syllabified word list and its formulas against hand-computed texts (the Spanish pages'
plain-language gate of issue 22 is in tests/test_es_pages.py)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pyphen
import pytest

from carekb.checks import readability
from carekb.checks.readability_es import score_html, score_text, spoken_syllables, syllabify, syllables

WORDS = Path(__file__).parent / "data" / "es_syllables.txt"


def _word_list() -> list[tuple[str, int, str]]:
    rows = []
    for line in WORDS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, count, split = line.split()
            rows.append((word, int(count), split))
    return rows


def test_the_word_list_is_big_enough_and_consistent():
    rows = _word_list()
    assert len(rows) >= 200
    words = [w for w, _, _ in rows]
    assert len(words) == len(set(words)), "a word is listed twice"
    for word, count, split in rows:
        assert split.replace("-", "") == word and len(split.split("-")) == count, word


@pytest.mark.parametrize("word,count,split", _word_list(), ids=lambda v: v if isinstance(v, str) else "")
def test_syllables_match_the_hand_syllabified_list(word, count, split):
    assert syllables(word) == count
    assert "-".join(syllabify(word)) == split


@pytest.mark.parametrize("word,count", [("día", 2), ("oír", 2), ("país", 2), ("pingüino", 3), ("Ángel", 2)])
def test_decomposed_accents_count_like_composed_ones(word, count):
    """Text pasted from some editors holds a letter plus a combining accent."""
    decomposed = unicodedata.normalize("NFD", word)
    assert decomposed != word
    assert syllables(decomposed) == count


# What pyphen 0.18.1 (pinned) does with its Spanish patterns, checked by hand: it never splits
# these words where a syllable is a hiatus or a lone vowel, so each comes out short.
@pytest.mark.parametrize("word,count", [("día", 2), ("agua", 2), ("oír", 2), ("aéreo", 4), ("ayuda", 3)])
def test_hyphenation_patterns_would_undercount(word, count):
    """Why the Spanish counter does not use pyphen (nor textstat, which uses it)."""
    hyphenator = pyphen.Pyphen(lang="es", left=1, right=1)
    pieces = hyphenator.inserted(word).split("-")
    assert len(pieces) < count
    assert syllables(word) == count


@pytest.mark.parametrize("token,count", [("IOP", 3), ("OP", 2), ("PHP", 4), ("TTY", 3), ("HCPCS", 7),
                                         ("NIDA", 2), ("Ayuda", 3), ("A", 1)])
def test_abbreviations_are_read_letter_by_letter(token, count):
    """i-o-pe, o-pe, pe-ha-che-pe ...; a longer one with a vowel is read as a word (NIDA)."""
    assert spoken_syllables(token) == count


def test_formulas_on_a_short_plain_text():
    # El(1) agua(2) es(1) vida(2). Ayuda(3) a(1) tu(1) familia(3).
    # 8 words, 14 syllables, 2 sentences: 1.75 syllables a word, 4 words a sentence.
    # Fernández-Huerta: 206.84 - 60 * 1.75 - 1.02 * 4 = 97.76
    # INFLESZ:          206.835 - 62.3 * 1.75 - 4    = 93.81
    e = score_text("El agua es vida. Ayuda a tu familia.")
    assert (e.words, e.sentences, e.syllables) == (8, 2, 14)
    assert (e.fernandez_huerta, e.inflesz) == (97.8, 93.8)


def test_formulas_on_a_long_clinical_sentence():
    # La(1) hospitalización(6) parcial(2) ofrece(3) tratamiento(4) intensivo(4) durante(3) el(1) día(2).
    # 9 words, 26 syllables, 1 sentence.
    # Fernández-Huerta: 206.84 - 60 * 26/9 - 1.02 * 9 = 24.33
    # INFLESZ:          206.835 - 62.3 * 26/9 - 9    = 17.86
    e = score_text("La hospitalización parcial ofrece tratamiento intensivo durante el día.")
    assert (e.words, e.sentences, e.syllables) == (9, 1, 26)
    assert (e.fernandez_huerta, e.inflesz) == (24.3, 17.9)


def test_hiatus_words_score_harder_than_pyphen_would_say():
    """Counted right, "día" and "oír" make a text harder than hyphenation pieces suggest."""
    # Oír(2) el(1) día(2) es(1) aéreo(4). 5 words, 10 syllables, 1 sentence:
    # 206.84 - 60 * 2 - 1.02 * 5 = 81.74
    assert score_text("Oír el día es aéreo.").fernandez_huerta == 81.7


def test_digits_are_not_words_and_abbreviations_are_read_out():
    e = score_text("Llame al 988 o al 1-800-662-4357.")
    assert e.words == 4  # Llame al o al
    # "p. ej." reads "por ejemplo" and ends no sentence; "EE. UU." reads "Estados Unidos".
    e = score_text("Pida ayuda, p. ej. a su médico. Vive en EE. UU. desde hace poco.")
    assert e.sentences == 2
    assert e.words == 14  # Pida ayuda por ejemplo a su médico / Vive en Estados Unidos desde hace poco


def test_etc_ends_a_sentence_only_before_a_capital_or_the_end():
    assert score_text("Lleve ropa, zapatos, etc. y su tarjeta.").sentences == 1
    assert score_text("Lleve ropa, zapatos, etc. Luego llame.").sentences == 2
    assert score_text("Lleve ropa, zapatos, etc.").words == 4  # etcétera is read as a word


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂", "\u0301a\u0301", "Привет мир.", "ﬁn ǅ İstanbul", "x" * 5000,
                                  "a" * 300, "ﬀ.\n\n\n!!!", "ÏÜÿŸ", "qu gu gü h hh y yy"])
def test_any_text_gets_a_score_without_an_error(text):
    e = score_text(text)
    assert e.words >= 0 and (e.words == 0 or e.syllables >= e.words)


def test_same_sentences_and_blocks_as_the_english_grade():
    """Headings and list items end a sentence, tables and the crisis bar are not prose: the
    Spanish score reads exactly the text the English grade reads."""
    html = ("<h2>Lo que debe llevar</h2><ul><li>Su tarjeta del seguro</li><li>Una lista de sus medicinas</li></ul>"
            "<p>Pida ayuda hoy. Llame a su plan.</p><table><tr><td>Hospitalización parcial</td></tr></table>"
            '<div class="kb-crisis">Llame al 988</div>')
    es, en = score_html(html), readability.grade_html(html)
    assert es.sentences == en.sentences == 5
    assert es.words == en.words == 20  # these words hold no accent, so both count the same words


# The Spanish pages' plain-language gate and structure: tests/test_es_pages.py.
