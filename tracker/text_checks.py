"""What every piece of typed input must be, wherever it arrives (form, CSV, command).

Control characters (a NUL byte above all: PostgreSQL refuses it, SQLite stores it) are never
clinical text, and a number is written with the digits 0-9: '٣' or '１２' would otherwise be
read as 3 or 12 without anyone seeing it.
"""

from __future__ import annotations

import datetime
import re
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


DATE_ORDERS = ("DMY", "MDY")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_LOCAL_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def typed_date(text: str, *, order: str = "DMY") -> datetime.date | None:
    """The calendar date `text` writes, as ISO (1970-05-17) or in the clinic's order with slashes,
    dots or dashes (17/05/1970 when `order` is "DMY", 05/17/1970 when "MDY"); None when `text`
    is not such a date or names a day that does not exist (31/02/1970)."""
    text = text.strip()
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := _LOCAL_DATE.fullmatch(text):
        first, second, year = match.groups()
        day, month = (first, second) if order == "DMY" else (second, first)
    else:
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
