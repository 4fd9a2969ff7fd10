"""Parsing, unit conversion, bounds and display of values."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tracker.catalogue.codes import COMPARATORS
from tracker.catalogue.spec import AnalyteSpec, CatalogueError, display_unit, stored_unit, to_decimal

__all__ = [
    "Measurement",
    "convert",
    "convert_reference",
    "display_unit",
    "format_value",
    "parse_value",
    "stored_unit",
    "without_thousands",
]

# 1,250 or 12,500.5: commas between groups of three digits, written as a thousands separator.
_GROUPED = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")


@dataclass(frozen=True)
class Measurement:
    """A validated numeric result: as entered and in the canonical unit."""

    comparator: str
    value_as_entered: Decimal
    unit_as_entered: str
    value_canonical: Decimal
    unit_canonical: str


def without_thousands(text: str) -> str:
    """'1,250' -> '1250' and '12,500.5' -> '12500.5'; anything else (a decimal comma such as
    '6,5', or '12,50') is returned as it was, for the number check to refuse."""
    text = text.strip()
    return text.replace(",", "") if _GROUPED.fullmatch(text) else text


def parse_value(text: str) -> tuple[str, Decimal]:
    """Split '<5' into ('<', Decimal('5')) and read '1,250' as 1250 (commas only between
    groups of three digits: '6,5' is refused, never read as 6.5 or 65); raise CatalogueError
    on anything else."""
    raw = text.strip()
    comparator = "="
    if raw[:1] in ("<", ">"):
        comparator, raw = raw[0], raw[1:].strip()
    raw = without_thousands(raw)
    if not all(c in "0123456789" for c in raw if c.isdigit() or c.isnumeric()):
        raise CatalogueError(f"{text!r} is not a number; write it with the digits 0-9")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        if "," in raw:
            raise CatalogueError(
                f"{text!r} is not a number (use '.' for decimals, as in 6.5; a comma only separates thousands, "
                "as in 1,250)"
            ) from None
        raise CatalogueError(f"{text!r} is not a number (use '.' for decimals; '<' or '>' may lead)") from None
    if not value.is_finite():
        raise CatalogueError(f"{text!r} is not a finite number")
    return comparator, value


def bounds_for(spec: AnalyteSpec, unit: str, overrides: Mapping[str, tuple] | None = None) -> tuple:
    """Engineering bounds in the canonical unit (or in `unit` for non-convertible analytes)."""
    if overrides and spec.key in overrides:
        low, high = overrides[spec.key]
        return to_decimal(low), to_decimal(high)
    if unit in spec.bounds_by_unit:
        return spec.bounds_by_unit[unit]
    return spec.low, spec.high


def _significant(value: Decimal, digits: int = 3) -> Decimal:
    """Round to a few significant figures: a converted limit is a guide, not a measurement."""
    if not value:
        return Decimal(0)
    return value.quantize(Decimal(1).scaleb(value.adjusted() - digits + 1)).normalize()


def _fmt(value: Decimal | None) -> str:
    if value is None:
        return "any"
    text = format(value.normalize(), "f")
    return f"{int(value):,}" if value == value.to_integral() else text


def convert(
    spec: AnalyteSpec,
    value: Decimal,
    unit: str = "",
    *,
    comparator: str = "=",
    bounds_overrides: Mapping[str, tuple] | None = None,
) -> Measurement:
    """Convert `value` in `unit` (blank: canonical) to the canonical unit, checking bounds.

    The bounds apply to the canonical value, and the message gives them in the unit the user
    entered as well, so a result typed in g/dL against a g/L range reads sensibly.
    """
    if spec.categorical:
        raise CatalogueError(f"{spec.code} takes a category, not a number")
    if comparator not in COMPARATORS:
        raise CatalogueError(f"comparator must be one of {', '.join(COMPARATORS)}")
    unit = stored_unit(unit, spec.units) or spec.canonical_unit
    if unit not in spec.units:
        raise CatalogueError(
            f"unit {unit!r} is not accepted for {spec.label}; allowed: {spec.accepted_units_text()}", field="unit"
        )
    factor = spec.units[unit]
    if spec.convertible:
        canonical_unit = spec.canonical_unit
        canonical = value * factor
    else:
        canonical_unit, canonical = unit, value
    low, high = bounds_for(spec, canonical_unit, bounds_overrides)
    # Bounds first: a typo like 1e25 must be refused with the range, not overflow the rounding.
    if (low is not None and canonical < low) or (high is not None and canonical > high):
        shown, canonical_shown = _unit_text(unit), _unit_text(canonical_unit)
        if spec.convertible and unit != canonical_unit:
            entered = f"{_fmt(_significant(low / factor))} to {_fmt(_significant(high / factor))}{shown}"
            message = (
                f"{_fmt(value)}{shown} is outside the plausible range for {spec.label}: "
                f"{_fmt(low)} to {_fmt(high)}{canonical_shown} ({entered})"
            )
        else:
            message = (
                f"{_fmt(value)}{shown} is outside the plausible range for {spec.label}: "
                f"{_fmt(low)} to {_fmt(high)}{canonical_shown}"
            )
        raise CatalogueError(message)
    places = Decimal(1).scaleb(-max(spec.decimal_places, 0) - 2)
    canonical = canonical.quantize(places).normalize() if canonical else Decimal(0)
    return Measurement(comparator, value, unit, canonical, canonical_unit)


# Stored reference limits have ten digits before the point (a lab result's ref_low and ref_high columns).
REFERENCE_LIMIT = Decimal(10) ** 10


def convert_reference(spec: AnalyteSpec, value: Decimal | None, unit: str = "") -> Decimal | None:
    """A report's reference limit, given in the same unit as its value, in the canonical unit,
    rounded like the analyte's canonical values (at most four decimal places, as stored)."""
    if value is None:
        return None
    unit = stored_unit(unit, spec.units) or spec.canonical_unit
    factor = spec.units.get(unit, Decimal(1)) if spec.convertible else Decimal(1)
    canonical = value * factor
    if abs(canonical) >= REFERENCE_LIMIT:
        raise CatalogueError(f"a reference limit must be below {REFERENCE_LIMIT:,}{_unit_text(spec.canonical_unit)}")
    places = min(spec.decimal_places + 2, 4)
    return canonical.quantize(Decimal(1).scaleb(-places)).normalize()


def _unit_text(unit: str) -> str:
    """' ×10⁹/L' after a number; nothing for a unitless ratio."""
    shown = display_unit(unit)
    return f" {shown}" if shown else ""


def format_value(value: Decimal | None, places: int = 2) -> str:
    """A canonical value for display: thousands separators, trailing zeros dropped."""
    if value is None:
        return ""
    if value == value.to_integral():
        return f"{int(value):,}"
    text = f"{value:,.{places}f}".rstrip("0").rstrip(".")
    return text
