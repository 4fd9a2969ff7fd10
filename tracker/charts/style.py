"""Colours, marker shapes and number formatting shared by every chart.

Colours are the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies)
and are never the only signal: series also differ by line dash, flagged points by marker shape
and size, and every value is in the hover text and the data table.
"""

from __future__ import annotations

import html
from decimal import Decimal

PALETTE = ("#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#000000", "#E69F00", "#8C564B", "#D55E00", "#7F7F7F")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
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


def shorten(text: str, limit: int = 90) -> str:
    """A flag explanation cut to one hover line; the flag page has the whole sentence."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
