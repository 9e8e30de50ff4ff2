"""What a fact's text may hold: plain text, clean https addresses and numbers to dial.

Each rule is a regular expression that reads the same in Python and in the JSON Schema
(ECMA-262) that editors use, so the checker and the schema refuse the same text. The
functions return (what is wrong, the fix) in plain words, or None when the text is fine.
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse

# What plain text may not hold, piece by piece (joined into one pattern for the schema).
# Invisible characters: C0 and C1 controls; every Unicode format character (category Cf, as of
# Unicode 15.1: soft hyphen, zero-width and joiner characters, direction marks and overrides,
# word joiner and invisible operators, byte order mark, Arabic and Syriac number marks,
# interlinear annotation marks, Egyptian hieroglyph, shorthand and musical format controls, and
# the tag characters U+E0001 and U+E0020-E007F); line and paragraph separators; and the known
# "blank" letters that render as nothing: combining grapheme joiner U+034F, Hangul fillers
# U+115F, U+1160, U+3164 and U+FFA0, Khmer inherent vowels U+17B4/U+17B5, Mongolian free
# variation selectors U+180B-180D and U+180F, and the braille blank U+2800.
_INVISIBLE = ("\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u00ad\\u034f\\u0600-\\u0605\\u061c"
              "\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u115f\\u1160\\u17b4\\u17b5\\u180b-\\u180f"
              "\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\u2800\\u3164\\ufeff"
              "\\uffa0\\ufff9-\\ufffb")
# Format characters beyond the Basic Multilingual Plane. An ECMA-262 character class cannot
# hold them the same way with and without the `u` flag, so the schema's pattern lists each one
# as a literal alternative, which Python and both kinds of ECMA-262 regex read alike.
ASTRAL_INVISIBLE = ((0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3),
                    (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F))
_ASTRAL = "|".join(chr(c) for first, last in ASTRAL_INVISIBLE for c in range(first, last + 1))
_ASTRAL_CLASS = "".join(f"{chr(a)}-{chr(b)}" for a, b in ASTRAL_INVISIBLE)
_CONTROL_LONG = f"[{_INVISIBLE}]|{_ASTRAL}"  # long text keeps newlines and tabs
_CONTROL_LINE = f"[\\u0009\\u000a{_INVISIBLE}]|{_ASTRAL}"  # a name, title or label is one line
_TAG = r"<[A-Za-z/!?]"  # a tag, comment, declaration or autolink, closed or not; `< 9` stays text
_MD_LINK = r"\]\s*[(\[]|!\[|\[\^|\[[^\]\n]*\]:"  # [x](…) [x][y] ![…] [^1] and [x]: … definitions
_BRACES = r"[{}]"  # {{ }} is template code; { … } sets HTML attributes in Markdown (attr_list)
_TEMPLATE = re.compile(r"\{\{|\{%|\{#")

_FORBIDDEN = {one: re.compile(_forbidden) for one, _forbidden in
              ((False, f"{_CONTROL_LONG}|{_TAG}|{_MD_LINK}|{_BRACES}"),
               (True, f"{_CONTROL_LINE}|{_TAG}|{_MD_LINK}|{_BRACES}"))}
# The first character of anything above: one character class finds it several times faster
# than the alternation does, and most text holds none of them.
_SUSPECT = {False: re.compile(f"[<\\[\\]!{{}}{_INVISIBLE}{_ASTRAL_CLASS}]"),
            True: re.compile(f"[<\\[\\]!{{}}\\u0009\\u000a{_INVISIBLE}{_ASTRAL_CLASS}]")}
_CONTROL = {False: re.compile(f"[{_INVISIBLE}{_ASTRAL_CLASS}]"),
            True: re.compile(f"[\\u0009\\u000a{_INVISIBLE}{_ASTRAL_CLASS}]")}
# Invisible characters in a page's text: the same, but prose keeps tabs and line ends (\r too).
_PAGE_CONTROLS = "\\u000b\\u000c\\u000e-\\u001f"
PAGE_INVISIBLE = re.compile("[" + _INVISIBLE.replace("\\u000b-\\u001f", _PAGE_CONTROLS) + _ASTRAL_CLASS + "]")
_TAG_RE, _MD_LINK_RE = re.compile(_TAG), re.compile(_MD_LINK)


def forbidden_pattern(one_line: bool) -> str:
    """The JSON Schema pattern of what text (one line or long) may not hold."""
    return _FORBIDDEN[one_line].pattern


def plain_text_problem(s: str, one_line: bool, max_chars: int) -> tuple[str, str] | None:
    """(what is wrong, the fix) when `s` is not plain text, else None. Cheap when it is plain."""
    if len(s) > max_chars:
        return (f"is {len(s):,} characters long; this field holds at most {max_chars:,}.",
                "shorten it: say it in fewer words.")
    if not _SUSPECT[one_line].search(s) or not _FORBIDDEN[one_line].search(s):
        return None  # the usual case
    if m := _CONTROL[one_line].search(s):
        ch, at = m.group(), m.start() + 1
        if ch == "\n":
            return ("is written on more than one line; this field holds a single line.",
                    "write it on one line (in quotes if it is long).")
        return (f"contains an invisible character, {invisible_name(ch)}, at character {at}: "
                "it can hide or reorder what readers see.",
                f"delete it: retype the text around character {at}.")
    if m := _TAG_RE.search(s):
        shown = re.match(r"<[/!?]?[A-Za-z0-9:-]{0,20}", s[m.start():]).group()
        return (f"contains HTML code (`{shown}`); this field is plain text and is never run as code.",
                "remove the <…> tag and write plain words; for 'less than', put a space after it: `< 9`.")
    if _MD_LINK_RE.search(s):
        return ("contains a Markdown link, image or footnote (`[…](…)`, `[…][…]`, `![…]`, `[^…]` or `[…]: …`); "
                "this field is plain text and never links anywhere.",
                "remove the brackets and the address; name the page as a source (a `url:` under `sources:`).")
    if _TEMPLATE.search(s):
        return ("contains template code (`{{`, `{%` or `{#`); this field is plain text and is never run "
                "as code.",
                "remove the braces.")
    return ("contains a curly brace (`{` or `}`); in a page `{ … }` can add HTML attributes, so this field may "
            "not hold them.", "remove the braces, or use round brackets ( ) instead.")


# RFC 3986 less ' ( ) [ ]: nothing breaks a link
_URL_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9\-._~:/?#@!$&*+,;=%]")
_HOST = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
URL_SCHEMA = (r"^https://([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9](:[0-9]{1,5})?"
              r"([/?#][A-Za-z0-9\-._~:/?#@!$&*+,;=%]*)?$")


def url_problem(s: str) -> tuple[str, str] | None:
    """(what is wrong, the fix) when `s` is not a clean absolute https address, else None."""
    if s[:7].lower() == "http://":
        return (f"`{shown_text(s)}` is not a secure address (http, not https).",
                "write the address starting with https:// (open it in a browser to check it works).")
    if s[:8].lower() != "https://":
        return (f"`{shown_text(s)}` is not a web address.", "write the full address, starting with https://.")
    if bad := _URL_NOT_ALLOWED.search(s):
        ch = bad.group()
        what = "a space" if ch.isspace() else f"`{ch}`"
        return (f"the address contains {what} at character {bad.start() + 1}, which could break out of the link "
                "it is written into.", f"write it percent-encoded ({urllib.parse.quote(ch)}) or remove it.")
    if "%" in s and _BAD_PERCENT.search(s):
        return ("the address has a `%` that is not followed by two hex digits.",
                "write a % sign as %25, or correct the encoding.")
    try:
        parts = urllib.parse.urlsplit(s)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number 0-65535
    except ValueError:
        return (f"`{shown_text(s)}` cannot be read as a web address.", "copy the address again from the browser.")
    if "@" in parts.netloc:
        return (f"`{shown_text(s)}` has a user name before the site (`…@`), which can disguise where it leads.",
                "remove everything between https:// and the @, and the @.")
    if not parts.hostname or not _HOST.fullmatch(parts.hostname) or parts.netloc.lower() != parts.netloc:
        return (f"`{shown_text(s)}` does not name a web site (like www.samhsa.gov) after https://.",
                "write the full address, starting with https:// and the site's name in lowercase.")
    return None


PHONE = re.compile(r"[0-9+() .\-]+")  # what can be dialled: digits, spaces and + ( ) - .
PHONE_SCHEMA = r"^(?=.*[0-9])[0-9+() .\-]{1,32}$"


def shown_text(s: str, limit: int = 80) -> str:
    """`s` as one printable line for a message: invisible characters spelled out, long text cut."""
    if len(s) <= limit and s.isprintable():
        return s  # the usual case
    s = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in s[: limit + 1])
    return s if len(s) <= limit else s[:limit] + "…"


def invisible_name(ch: str) -> str:
    """`U+200B (zero width space)`: an invisible character named for a message."""
    return f"U+{ord(ch):04X} ({unicodedata.name(ch, 'a control character').lower()})"


def page_invisible(text: str) -> tuple[int, int, str] | None:
    """(line, column, the character) of the first invisible character in a page's text, else
    None; lines and columns count from 1."""
    found = PAGE_INVISIBLE.search(text)
    if found is None:
        return None
    at = found.start()
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1, found.group()
