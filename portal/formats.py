"""Text the portal did not write itself, on its way in and out: one function per format.

Editors' titles, teasers and venues and visitors' names and notes reach HTML pages, Atom
feeds, iCalendar files, JSON-LD, e-mails and CSV exports. Each of those formats has its own
way of turning text into live markup or breaking the file, so every channel converts
through the function for its format here instead of escaping on its own
(tests/security/test_channels.py puts hostile text into every field and reads every
channel back with a real parser). Templates rely on Django's autoescaping for HTML;
plain-text e-mail templates switch it off and get text cleaned by `plain_text`.

On the way in, `clean_visitor_text` refuses what no visitor needs to type and what makes a
name display as something else (control characters; bidirectional overrides such as
U+202E, which turn "Anna\u202egpj.exe" into "Annaexe.jpg" in the admin and the CSV).
"""

import json
import unicodedata

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

# Explicit bidirectional embeddings, overrides and isolates (Unicode's "Bidi_Control"
# characters except the harmless marks U+200E, U+200F and U+061C).
BIDI_CONTROLS = frozenset(chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
LINE_BREAKS = frozenset("\n\r")
# Leading characters that make spreadsheet programs evaluate a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_control(char: str, multiline: bool = False) -> bool:
    """A C0/C1 control character (tab counts as one in a single-line field), or a
    bidirectional override/isolate."""
    if char in BIDI_CONTROLS:
        return True
    if multiline and char in LINE_BREAKS | {"\t"}:
        return False
    return unicodedata.category(char) == "Cc"


def visitor_text_problem(value: str, multiline: bool = False) -> str | None:
    """Why a visitor's text is refused: "control", "bidi" or None."""
    for char in value:
        if char in BIDI_CONTROLS:
            return "bidi"
        if is_control(char, multiline):
            return "control"
    return None


def normalise(value: str) -> str:
    """NFC, so "Jürgen" typed with a combining diaeresis equals the precomposed one."""
    return unicodedata.normalize("NFC", value)


def plain_text(value, multiline: bool = True) -> str:
    """Text for formats without markup (iCalendar, plain-text e-mail): control and bidi
    characters removed; line breaks kept where the format has them."""
    text = normalise("" if value is None else str(value))
    return "".join(char for char in text if not is_control(char, multiline))


def single_line(value) -> str:
    """Text for a header or a one-line field (e-mail subject, calendar title): whitespace,
    line breaks included, collapsed to single spaces."""
    return " ".join(plain_text(value, multiline=True).split())


def html_text(value) -> str:
    """Plain text as HTML source, for formats that carry HTML as a string (an Atom
    `type="html"` summary): markup in the text is shown, never run."""
    return escape(plain_text(value))


def spreadsheet_cell(value) -> str:
    """A CSV cell that spreadsheet programs show as typed instead of evaluating."""
    text = plain_text(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def json_ld_script(data) -> str:
    """Structured data as <script type="application/ld+json">; it is data, not script, so a
    strict Content-Security-Policy does not block it. "<", ">" and "&" are written as JSON
    escapes (like Django's json_script), so no text can close the element."""
    escaped = (
        json.dumps(data, ensure_ascii=False, default=str)
        .replace("<", "\\u003C")
        .replace(">", "\\u003E")
        .replace("&", "\\u0026")
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(escaped))  # noqa: S308
