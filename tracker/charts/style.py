"""Colours, marker shapes and number formatting shared by every chart.

Colours are the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies)
and are never the only signal: series also differ by line dash, flagged points by marker shape
and size, and every value is in the hover text and the data table.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

PALETTE = ("#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#000000", "#E69F00", "#8C564B", "#D55E00", "#7F7F7F")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "hexagon", "pentagon", "x", "cross")
"""Plain point shapes, none of them a flag's shape (diamond, triangle, square) or the nadir's
star. Five shapes against six dashes: (dash, shape) differs for the first thirty series of a
panel, so series never differ by colour alone."""
ANNOTATION_PX = 12
"""The smallest type of anything written on a timeline chart: T0 labels, lanes, markers."""
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
INK = "#212529"
GRID = "#e9ecef"
BAND_FILL = "rgba(0, 158, 115, 0.13)"
BAND_TEXT = "#1e6b52"
ANCHOR_COLOUR = "#1f3b57"

FLAG_STYLE = {
    "red": {"symbol": "diamond", "color": "#b02a37", "size": 15, "mark": "◆"},
    "amber": {"symbol": "triangle-up", "color": "#c77c02", "size": 15, "mark": "▲"},
    "info": {"symbol": "square", "color": "#6c757d", "size": 11, "mark": "■"},
}
"""Flagged points: shape and colour and size differ from the plain circles of a series."""

POINT_SIZE = 7
MS_PER_DAY = 86_400_000


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def dash(index: int) -> str:
    return DASHES[index % len(DASHES)]


def symbol(index: int) -> str:
    return SYMBOLS[index % len(SYMBOLS)]


def safe(text: str) -> str:
    """Escape user-entered text for Plotly's hover labels, which read a little HTML."""
    return html.escape(text or "", quote=False)


def number(value: Decimal | float | int | None, places: int = 2) -> str:
    """1309.9 -> "1,309.9", 470 -> "470", 0.10 -> "0.1": separators, no trailing zeros."""
    if value is None:
        return ""
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    if value == value.to_integral():
        return f"{int(value):,}"
    text = f"{value:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


NUMBER = re.compile(r"^[<>≤≥]?-?[\d,]+(\.\d+)?$")


def with_unit(text: str, unit: str) -> str:
    """ "470" -> "470 pg/mL"; words ("absent", "negative") and unitless values stay as they are."""
    return f"{text} {unit}" if unit and NUMBER.match(text) else text


def plural(count: int, noun: str) -> str:
    """1 value, 2 values; 1 study, 3 studies."""
    if count == 1:
        return f"1 {noun}"
    return f"{count:,} {noun[:-1] + 'ies' if noun.endswith('y') else noun + 's'}"


def shorten(text: str, limit: int = 90) -> str:
    """A flag explanation cut to one hover line; the flag page has the whole sentence."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
