"""The shapes of the catalogue: an analyte, its specimen variants and reference ranges."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal


class CatalogueError(ValueError):
    """A value, unit or specimen the catalogue does not accept; the message is for the user.

    `field` names what was wrong in the words of a lab result's fields ("analyte", "specimen",
    "value" or "unit"), so a form can put the message beside the right input without reading
    the message text.
    """

    def __init__(self, message: str, *, field: str = "value"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class RefRange:
    low: Decimal | None
    high: Decimal | None


@dataclass(frozen=True)
class AnalyteSpec:
    """One measurable quantity: an analyte code, measured in one specimen type.

    `units` maps each accepted unit to the factor that converts it to the canonical unit.
    `convertible=False` marks analytes reported in incompatible unit systems (prolactin,
    HbA1c): each accepted unit is then its own canonical unit and values are kept as entered.
    """

    code: str
    label: str
    canonical_unit: str
    units: Mapping[str, Decimal]
    low: Decimal | None = None
    high: Decimal | None = None
    decimal_places: int = 2
    reference: RefRange | None = None
    reference_by_sex: Mapping[str, RefRange] = field(default_factory=dict)
    loinc: str = ""
    specimen: str = ""
    categorical: bool = False
    convertible: bool = True
    bounds_by_unit: Mapping[str, tuple[Decimal, Decimal]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.code}/{self.specimen}" if self.specimen else self.code

    def accepted_units_text(self) -> str:
        """The units a value may be given in, as people write them (×10⁹/L, µmol/L)."""
        return ", ".join(display_unit(unit) or unit for unit in self.units)

    def default_reference(self, sex: str = "") -> RefRange | None:
        return self.reference_by_sex.get(sex, self.reference)


@dataclass(frozen=True)
class Analyte:
    """An analyte code as it appears in the CSV and forms, with its specimen variants."""

    code: str
    label: str
    specs: Mapping[str, AnalyteSpec]
    default_specimen: str
    specimen_required: bool = False
    panel_group: str = ""

    @property
    def specimens(self) -> tuple[str, ...]:
        return tuple(self.specs)


def to_decimal(value: str | int | float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def units(**factors: str) -> dict[str, Decimal]:
    return {unit: Decimal(factor) for unit, factor in factors.items()}


def spec(code: str, label: str, unit: str, factors: dict[str, Decimal], low, high, **kw) -> AnalyteSpec:
    return AnalyteSpec(
        code=code, label=label, canonical_unit=unit, units=factors, low=to_decimal(low), high=to_decimal(high), **kw
    )


def ref(low, high) -> RefRange:
    return RefRange(to_decimal(low), to_decimal(high))


_DISPLAY_UNITS = {
    "10^9/L": "×10⁹/L",
    "10^3/uL": "×10³/µL",
    "umol/L": "µmol/L",
    "uIU/mL": "µIU/mL",
    "ug/L": "µg/L",
    "ug/dL": "µg/dL",
    "mL/min/1.73m2": "mL/min/1.73 m²",
    "ratio": "",
}


def display_unit(unit: str) -> str:
    """A unit as people read it; the stored and CSV spelling stays ASCII."""
    return _DISPLAY_UNITS.get(unit, unit)


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def stored_unit(typed: str, accepted) -> str:
    """The stored (ASCII) spelling of a unit typed either way: '×10⁹/L', 'x10^9/L' or '10^9/L',
    'µmol/L' (micro sign or Greek mu) or 'umol/L'. A unit `accepted` already holds, a blank,
    or one that no spelling matches is returned stripped, for the caller to accept or refuse."""
    text = (typed or "").strip()
    if not text or text in accepted:
        return text
    spelt = text.replace("μ", "u").replace("µ", "u").replace(" ", "")
    spelt = re.sub(r"^[x×*]", "", spelt)
    spelt = re.sub(r"10([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", lambda m: "10^" + m.group(1).translate(_SUPERSCRIPTS), spelt)
    spelt = re.sub(r"10(?:\*\*|\*|e|E)(\d)", r"10^\1", spelt).translate(_SUPERSCRIPTS)
    by_spelling = {unit.replace(" ", ""): unit for unit in accepted}
    return by_spelling.get(spelt, text)
