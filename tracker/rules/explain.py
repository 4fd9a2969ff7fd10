"""Number, unit and date formatting for flag explanations and JSON evidence.

Explanations are read by consultants, so numbers carry thousands separators and units, and
percentages are rounded for reading; evidence keeps the exact Decimal as a string.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

UNIT_LABELS = {
    "10^9/L": "×10⁹/L",
    "ratio": "",
}
"""Canonical unit codes that read better differently in a sentence."""


def number(value: Decimal | int) -> str:
    """`1100` -> "1,100"; keeps the decimals the value was recorded with ("2.0", "96.2")."""
    if isinstance(value, int):
        return f"{value:,}"
    if value == value.to_integral_value() and value.as_tuple().exponent > 0:
        value = value.quantize(Decimal(1))
    return f"{value:,}"


def quantity(value: Decimal | int, unit: str) -> str:
    """A number with its unit: "1,100 pg/mL", "430 ×10⁹/L", "0.52 L/L"."""
    label = UNIT_LABELS.get(unit, unit)
    return f"{number(value)} {label}".rstrip()


def percent(value: Decimal) -> str:
    """A percentage for reading, one decimal at most: "71.4%", "50%", "-35%"."""
    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        rounded = rounded.quantize(Decimal(1))
    return f"{rounded}%"


def pct_change(value: Decimal, reference: Decimal) -> Decimal:
    """Percent change as the spec defines it: (value - reference) / reference x 100."""
    return (value - reference) / reference * 100


def iso(day: date | None) -> str | None:
    """Dates in evidence are ISO strings so the evidence is JSON-safe."""
    return day.isoformat() if day is not None else None


def dec(value: Decimal | None) -> str | None:
    """Decimals in evidence are strings (exact, JSON-safe)."""
    return str(value) if value is not None else None


def join_words(parts: list[str]) -> str:
    """ "a", "a and b", "a, b and c": keeps a multi-part finding inside one sentence."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
