"""Reading ease of Spanish text, computed offline: a Spanish syllable counter and two formulas.

Why not pyphen (which carekb/checks/readability.py uses for English) or textstat: hyphenation
patterns say where a word may be broken at the end of a line, not how many syllables it has.
Spanish patterns never break inside a vowel group, so they merge the syllables of a hiatus
("día", "oír", "aéreo") and never leave one letter alone ("agua", "ayuda"). Scores come out
easier than the text is (tests/test_readability_es.py shows the words they miscount).

Syllables follow the orthographic syllabification of the Ortografía de la lengua española
(Real Academia Española and ASALE, 2010), which fixes by convention which vowel groups count
as one syllable, whatever a given speaker says:

- Strong (open) vowels: a, e, o. Weak (closed) vowels: i, u, ü, and y when it is a vowel.
- A weak unstressed vowel next to any vowel makes a diphthong (cui-da-do, a-gua, fa-mi-lia),
  and so do two different weak vowels, even with an accent on one ("huir", "ciu-dad",
  "ca-suís-ti-ca"). Weak + strong + weak, the weak ones unstressed, is a triphthong (buey,
  es-tu-diáis). So "guion", "truhan", "hui", "fie", "crio" are monosyllables (RAE 2010).
- Two strong vowels are always a hiatus (le-er, po-e-ta, a-é-re-o), and so is an accented
  weak vowel next to a strong one (dí-a, o-ír, pa-ís, ba-úl), or two equal weak vowels
  (chi-i-ta).
- The u of gue, gui, que, qui is silent: it belongs to the consonant (gue-rra, quie-ro,
  guion). A ü is heard (pin-güi-no, a-güe-ro).
- y is a vowel at the end of a word or before a consonant (hoy, muy, rey, and the word "y"),
  and a consonant before a vowel (a-yu-da, le-yes).
- An h between vowels neither prevents a diphthong nor breaks a hiatus (the Ortografía's
  rule on the letter h): prohi-bir, ahu-ma-do, cohi-bir; bú-ho, a-hí, al-co-hol.
- Consonants between two vowels: one goes with the next vowel; of two, the second does,
  unless they are a group that can begin a syllable (pr, pl, br, bl, fr, fl, tr, tl, dr, cr,
  cl, gr, gl, kr, kl), which goes whole; of three or more, the last two go if they are such a
  group, otherwise the last one. ch, ll and rr are one letter. "tl" stays together, as most
  of America says it (a-tle-ta); the count is the same either way.

Counted as a reader says the text:
- Accented capitals and decomposed accents count like their lower-case, composed forms.
- A capitalised abbreviation (OP, IOP, PHP, TTY) of up to three letters, or one without a
  vowel, is read letter by letter: "IOP" is i-o-pe, three syllables. Longer ones with a vowel
  (SAMHSA, NIDA, ASAM) are read as words. This assumes sentence-case headings.
- A few abbreviations with full stops (p. ej., EE. UU., Dr., Sra., etc.) are read as the words
  they stand for, and their stops do not end a sentence.
- Digits are not words, as in the English grade (carekb/checks/readability.py): figures on our pages
  come from facts and are worded by code, and a number's spoken length ("uno, ochocientos...")
  says nothing about how hard the prose around it is. The words around a figure ("horas por
  semana") count.

Formulas (higher is easier):
- Fernández-Huerta (1959), in the form corrected by Law (2011, LINGUIST List 22.2332), where
  the sentence term is words per sentence: 206.84 − 60 × syllables/word − 1.02 × words/sentence.
  60–70 is "normal" (about grades 7–8).
- Szigriszt-Pazos (1993), the INFLESZ scale of Barrio-Cantalejo et al. (2008):
  206.835 − 62.3 × syllables/word − words/sentence. 55–65 is "normal".

Sentences, list items, headings and what counts as prose are exactly as in the English grade:
the same page body (readability.body_text), each line a block, and a sentence ends at . ! ?
(or …) before a space or the end of its block.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from carekb.checks import readability

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)")
# Abbreviations read as the words they stand for; their stops end no sentence.
_ABBREVIATIONS = (
    (re.compile(r"\bp\.\s?ej\.", re.I), "por ejemplo"),
    (re.compile(r"\bEE\.\s?UU\.", re.I), "Estados Unidos"),
    (re.compile(r"\bDra\.(?=\s)"), "doctora"),
    (re.compile(r"\bDr\.(?=\s)"), "doctor"),
    (re.compile(r"\bSra\.(?=\s)"), "señora"),
    (re.compile(r"\bSr\.(?=\s)"), "señor"),
    (re.compile(r"\bUds\.(?=\s)"), "ustedes"),
    (re.compile(r"\bUd\.(?=\s)"), "usted"),
    (re.compile(r"\bnúm\.(?=\s)", re.I), "número"),
    # "etc." before a lower-case word goes on; before a capital or at the end it also ends
    # its sentence.
    (re.compile(r"\betc\.(?=\s+[a-zñáéíóúü])"), "etcétera"),
    (re.compile(r"\betc\.", re.I), "etcétera."),
)
# Spanish letter names, in syllables (RAE 2010 names: uve, uve doble).
_LETTER_SYLLABLES = dict(zip("abcdefghijklmnñopqrstuvwxyz",
                             (1, 1, 1, 1, 1, 2, 1, 2, 1, 2, 1, 2, 2, 2, 2, 1, 1, 1, 2, 2, 1, 1, 2, 3, 2, 1, 2)))
_ONSETS = {a + b for a in "pbfgkct" for b in "lr"} | {"dr"}
_DIAERESIS, _ACCENTS = "\u0308", {"\u0301", "\u0300", "\u0302"}


@dataclass(frozen=True)
class Ease:
    """Both Spanish reading-ease scores of a text, with the counts they come from."""
    fernandez_huerta: float
    inflesz: float
    words: int
    sentences: int
    syllables: int


@dataclass(frozen=True)
class _Unit:
    text: str  # the letters as written (one or two: "ch", "qu", "á")
    kind: str  # C consonant, H the letter h, S strong vowel, W weak unstressed, A accented weak
    base: str = ""  # a vowel's letter without accent: a e o i u (y and ü are i and u)


def _letter(ch: str) -> tuple[str, str]:
    """A character's lower-case base letter and its combining marks."""
    low = unicodedata.normalize("NFD", ch.lower())
    return low[:1], low[1:]


def _vowel(ch: str, base: str, marks: str) -> _Unit:
    if base in "aeo":
        return _Unit(ch, "S", base)
    if _DIAERESIS in marks and base == "i":
        return _Unit(ch, "A", base)  # ï marks a hiatus
    return _Unit(ch, "A" if set(marks) & _ACCENTS else "W", base)


def _units(word: str) -> list[_Unit]:
    """A word as letters: digraphs and the silent u of gue/gui/que/qui are one consonant."""
    chars = [(ch, *_letter(ch)) for ch in unicodedata.normalize("NFC", word)]
    out: list[_Unit] = []
    i = 0
    while i < len(chars):
        ch, base, marks = chars[i]
        nxt = chars[i + 1] if i + 1 < len(chars) else ("", "", "")
        after = chars[i + 2][1] if i + 2 < len(chars) else ""
        if base + nxt[1] in ("ch", "ll", "rr") and not nxt[2]:
            out.append(_Unit(ch + nxt[0], "C"))
            i += 2
        elif base == "q" and nxt[1] == "u" and not nxt[2]:
            out.append(_Unit(ch + nxt[0], "C"))
            i += 2
        elif base == "g" and nxt[1] == "u" and not nxt[2] and after in ("e", "i"):
            out.append(_Unit(ch + nxt[0], "C"))  # gue, gui: the u is silent (not ü)
            i += 2
        elif base == "y":
            before_vowel = nxt[1] in "aeiouy" and nxt[1] != ""
            out.append(_Unit(ch, "C") if before_vowel else _Unit(ch, "W", "i"))
            i += 1
        elif base in "aeiou":
            out.append(_vowel(ch, base, marks))
            i += 1
        elif base == "h":
            out.append(_Unit(ch, "H"))
            i += 1
        else:
            out.append(_Unit(ch, "C"))
            i += 1
    return out


def _joins(a: _Unit, b: _Unit) -> bool:
    """Whether two neighbouring vowels can share a syllable (RAE 2010 conventions)."""
    if a.kind == "W" and b.kind == "W" or "W" in (a.kind, b.kind) and "A" in (a.kind, b.kind):
        return a.base != b.base  # ui, iu (accented or not) yes; ii, uu no
    return "W" in (a.kind, b.kind) and "A" not in (a.kind, b.kind)  # strong + weak unstressed


def _fits(nucleus: list[_Unit]) -> bool:
    """A syllable holds at most one peak, and three vowels only as weak-peak-weak."""
    kinds = "".join(v.kind for v in nucleus)
    peaks = sum(k in "SA" for k in kinds)
    if len(kinds) == 3:
        return kinds[0] == kinds[2] == "W" and peaks == 1
    return len(kinds) <= 2 and peaks <= 1


def _nuclei(vowels: list[_Unit]) -> list[list[_Unit]]:
    """Split one run of neighbouring vowels into syllable nuclei."""
    out = [[vowels[0]]]
    for i, v in enumerate(vowels[1:], 1):
        cur = out[-1]
        nxt = vowels[i + 1] if i + 1 < len(vowels) else None
        # A weak vowel between a peak and a vowel it joins goes with that vowel: a-hue-car, re-huir.
        leans_on = (v.kind == "W" and nxt is not None and _joins(v, nxt)
                    and any(u.kind in "SA" for u in cur) and (nxt.kind in "SA" or nxt.kind == "W"))
        if _joins(cur[-1], v) and _fits(cur + [v]) and not leans_on:
            cur.append(v)
        else:
            out.append([v])
    return out


def _split(consonants: list[_Unit]) -> int:
    """How many of the consonants between two nuclei stay with the first."""
    n = len(consonants)
    onset = n >= 2 and consonants[-2].text.lower() + consonants[-1].text.lower() in _ONSETS
    if n <= 1:
        return 0
    return n - 2 if onset else n - 1


def syllabify(word: str) -> list[str]:
    """The syllables of one Spanish word, as written (see the module's rules)."""
    units = _units(word)
    # Runs of neighbouring vowels. An h between two vowels rides with the second one and
    # takes no part in the rules: it opens the second syllable of a hiatus (bú-ho) and sits
    # inside a diphthong (prohi-bir).
    groups: list[tuple[list[_Unit], list[_Unit]]] = []  # (consonants before, vowels)
    pending: list[_Unit] = []
    for u in units:
        if u.kind not in "SWA":
            pending.append(u)
            continue
        if groups and not pending:
            groups[-1][1].append(u)
        elif groups and len(pending) == 1 and pending[0].kind == "H":
            groups[-1][1].append(_Unit(pending[0].text + u.text, u.kind, u.base))
        else:
            groups.append((pending, [u]))
        pending = []
    if not groups:
        return [word]
    out: list[str] = []
    for before, vowels in groups:
        keep = _split(before) if out else 0
        if out:
            out[-1] += "".join(c.text for c in before[:keep])
        onset = "".join(c.text for c in before[keep:])
        for k, nucleus in enumerate(_nuclei(vowels)):
            out.append((onset if k == 0 else "") + "".join(v.text for v in nucleus))
    out[-1] += "".join(c.text for c in pending)
    return out


@lru_cache(maxsize=50000)
def syllables(word: str) -> int:
    """Syllables in one Spanish word (at least one)."""
    return max(1, len(syllabify(word)))


@lru_cache(maxsize=50000)  # running text repeats its words: each is counted once
def spoken_syllables(token: str) -> int:
    """Syllables a reader says for one word of running text: capitalised abbreviations of up
    to three letters, or with no vowel, are spelled out letter by letter."""
    letters = [_letter(ch)[0] for ch in token]
    if (len(token) >= 2 and token.isupper() and all(b in _LETTER_SYLLABLES for b in letters)
            and (len(token) <= 3 or not any(b in "aeiou" for b in letters))):
        return sum(_LETTER_SYLLABLES[b] for b in letters)
    return syllables(token)


def _expand(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    for pattern, words in _ABBREVIATIONS:
        text = pattern.sub(words, text)
    return text


def ease(words: int, sentences: int, syllable_count: int) -> tuple[float, float]:
    """(Fernández-Huerta, INFLESZ) of text with these counts."""
    spw, wps = syllable_count / words, words / sentences
    return (round(206.84 - 60 * spw - 1.02 * wps, 1), round(206.835 - 62.3 * spw - wps, 1))


def score_text(text: str) -> Ease:
    """Both reading-ease scores of plain text whose sentences end in . ! ? … or a newline."""
    sentences = 0
    words: list[str] = []
    for chunk in re.split(r"\n+", _expand(text)):
        chunk_words = _WORD.findall(chunk)
        if not chunk_words:
            continue
        words += chunk_words
        sentences += max(1, len(_SENTENCE_END.findall(chunk.strip())))
    if not words:
        return Ease(0.0, 0.0, 0, 0, 0)
    syl = sum(map(spoken_syllables, words))
    fh, infl = ease(len(words), sentences, syl)
    return Ease(fh, infl, len(words), sentences, syl)


def score_html(html: str) -> Ease:
    """Both scores of a rendered page body: the same prose the English grade reads."""
    return score_text(readability.body_text(html))
