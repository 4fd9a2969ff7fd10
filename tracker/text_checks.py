"""What every piece of typed input must be, wherever it arrives (form, CSV, command).

Control characters (a NUL byte above all: PostgreSQL refuses it, SQLite stores it) are never
clinical text, and a number is written with the digits 0-9: '٣' or '１２' would otherwise be
read as 3 or 12 without anyone seeing it.
"""

from __future__ import annotations

import unicodedata

ALLOWED_IN_TEXT = frozenset("\t\n\r")
"""Tab and line breaks stay allowed in multi-line text (notes); never in a one-line field."""


def control_character(text: str, *, multiline: bool = False) -> str | None:
    """The first control character in `text` as 'U+0000', or None when there is none."""
    for char in text:
        if unicodedata.category(char) == "Cc" and not (multiline and char in ALLOWED_IN_TEXT):
            return f"U+{ord(char):04X}"
    return None


def control_message(code: str) -> str:
    return f"contains the control character {code}, which is not allowed; retype the text without it"


def printable(text: str) -> str:
    """`text` with every control character shown as U+FFFD, safe to store and display."""
    return "".join("\ufffd" if unicodedata.category(c) == "Cc" and c not in ALLOWED_IN_TEXT else c for c in text)


def ascii_number(text: str) -> bool:
    """True when `text` writes its digits as 0-9 (no Arabic-Indic, full-width or other digits)."""
    return all(c in "0123456789" for c in text if c.isdigit() or c.isnumeric())


DIGITS_MESSAGE = "write the number with the digits 0-9"
