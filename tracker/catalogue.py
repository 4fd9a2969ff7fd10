"""The analyte catalogue: codes, canonical units, accepted units, bounds, reference ranges.

Pure Python, no Django, so that the importer, the forms and the tests share one copy of the
facts of POEMS-DOMAIN.md section 2.2. Validation bounds are engineering plausibility limits
(to catch typos and unit mistakes), never reference ranges; a deployment may override them
through settings.POEMS_ANALYTE_BOUNDS_OVERRIDES.

An analyte whose meaning depends on the specimen (VEGF, M-protein, immunofixation) has one
`AnalyteSpec` per specimen: serum and plasma VEGF are different measurements with different
bounds and limits, and are never compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

SPECIMENS = (
    ("serum", "Serum"),
    ("plasma", "Plasma (EDTA)"),
    ("whole_blood", "Whole blood"),
    ("urine_24h", "Urine, 24 hour"),
    ("urine_spot", "Urine, spot"),
)
SPECIMEN_CODES = tuple(code for code, _ in SPECIMENS)

COMPARATORS = ("=", "<", ">")

IFE_CATEGORIES = (
    ("negative", "Negative"),
    ("positive", "Positive"),
    ("equivocal", "Equivocal"),
    ("not_done", "Not done"),
)
IFE_CATEGORY_CODES = tuple(code for code, _ in IFE_CATEGORIES)

CONFOUNDERS = (
    ("acute_illness", "Acute illness"),
    ("iron_deficiency_anaemia", "Iron-deficiency anaemia"),
    ("copd", "COPD"),
    ("sleep_apnoea", "Obstructive sleep apnoea"),
    ("other_cancer", "Other cancer"),
    ("inflammatory_disease", "Chronic inflammatory disease"),
    ("bevacizumab", "Bevacizumab"),
    ("delayed_processing", "Delayed sample processing"),
    ("other", "Other"),
)
CONFOUNDER_CODES = tuple(code for code, _ in CONFOUNDERS)


class CatalogueError(ValueError):
    """A value, unit or specimen the catalogue does not accept; the message is for the user."""


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
        return ", ".join(self.units)

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


def _d(value: str | int | float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _units(**factors: str) -> dict[str, Decimal]:
    return {unit: Decimal(factor) for unit, factor in factors.items()}


def _spec(code: str, label: str, unit: str, units: dict[str, Decimal], low, high, **kw) -> AnalyteSpec:
    return AnalyteSpec(code=code, label=label, canonical_unit=unit, units=units, low=_d(low), high=_d(high), **kw)


def _ref(low, high) -> RefRange:
    return RefRange(_d(low), _d(high))


_PG_ML = {"pg/mL": Decimal(1), "ng/L": Decimal(1)}
_PER_L = {"10^9/L": Decimal(1), "10^3/uL": Decimal(1)}

# Units are spelled as INTERFACES.md section 1 spells them ("u" for micro).
_ANALYTES: tuple[Analyte, ...] = (
    Analyte(
        "vegf",
        "VEGF",
        {
            "serum": _spec(
                "vegf",
                "Serum VEGF",
                "pg/mL",
                _PG_ML,
                0,
                50000,
                decimal_places=1,
                specimen="serum",
                reference=_ref(None, 1000),
            ),
            "plasma": _spec(
                "vegf",
                "Plasma VEGF",
                "pg/mL",
                _PG_ML,
                0,
                10000,
                decimal_places=1,
                specimen="plasma",
                reference=_ref(None, "96.2"),
            ),
        },
        default_specimen="serum",
        specimen_required=True,
        panel_group="vegf",
    ),
    Analyte(
        "hemoglobin",
        "Haemoglobin",
        {
            "whole_blood": _spec(
                "hemoglobin",
                "Haemoglobin",
                "g/L",
                _units(**{"g/L": "1", "g/dL": "10"}),
                30,
                250,
                decimal_places=0,
                loinc="718-7",
                specimen="whole_blood",
                reference=_ref(120, 180),
                reference_by_sex={"male": _ref(130, 180), "female": _ref(120, 160)},
            )
        },
        default_specimen="whole_blood",
        panel_group="fbc",
    ),
    Analyte(
        "hematocrit",
        "Haematocrit",
        {
            "whole_blood": _spec(
                "hematocrit",
                "Haematocrit",
                "L/L",
                _units(**{"L/L": "1", "%": "0.01"}),
                "0.10",
                "0.80",
                decimal_places=3,
                loinc="4544-3",
                specimen="whole_blood",
                reference=_ref("0.34", "0.51"),
                reference_by_sex={"male": _ref("0.38", "0.51"), "female": _ref("0.34", "0.47")},
            )
        },
        default_specimen="whole_blood",
        panel_group="fbc",
    ),
    Analyte(
        "platelets",
        "Platelets",
        {
            "whole_blood": _spec(
                "platelets",
                "Platelets",
                "10^9/L",
                _PER_L,
                0,
                3000,
                decimal_places=0,
                loinc="777-3",
                specimen="whole_blood",
                reference=_ref(150, 400),
            )
        },
        default_specimen="whole_blood",
        panel_group="fbc",
    ),
    Analyte(
        "wbc",
        "White cells",
        {
            "whole_blood": _spec(
                "wbc",
                "White cells",
                "10^9/L",
                _PER_L,
                0,
                200,
                decimal_places=1,
                loinc="6690-2",
                specimen="whole_blood",
                reference=_ref("4.0", "11.0"),
            )
        },
        default_specimen="whole_blood",
        panel_group="fbc",
    ),
    Analyte(
        "m_protein",
        "M-protein",
        {
            "serum": _spec(
                "m_protein",
                "Serum M-protein",
                "g/dL",
                _units(**{"g/dL": "1", "g/L": "0.1"}),
                0,
                15,
                decimal_places=2,
                loinc="33358-3",
                specimen="serum",
            ),
            "urine_24h": _spec(
                "m_protein",
                "Urine M-protein (24 h)",
                "mg/24h",
                _units(**{"mg/24h": "1", "g/24h": "1000"}),
                0,
                30000,
                decimal_places=0,
                loinc="42482-0",
                specimen="urine_24h",
            ),
        },
        default_specimen="serum",
        specimen_required=True,
        panel_group="vegf",
    ),
    Analyte(
        "ife",
        "Immunofixation",
        {
            specimen: AnalyteSpec(
                code="ife",
                label=f"Immunofixation ({label.lower()})",
                canonical_unit="",
                units={},
                categorical=True,
                specimen=specimen,
                loinc="14895-7" if specimen == "serum" else "",
            )
            for specimen, label in (("serum", "Serum"), ("urine_24h", "Urine, 24 h"), ("urine_spot", "Urine, spot"))
        },
        default_specimen="serum",
        specimen_required=True,
        panel_group="vegf",
    ),
    Analyte(
        "flc_kappa",
        "Free light chain kappa",
        {
            "serum": _spec(
                "flc_kappa",
                "Free kappa",
                "mg/L",
                _units(**{"mg/L": "1", "mg/dL": "10"}),
                0,
                50000,
                decimal_places=1,
                loinc="104544-2",
                specimen="serum",
                reference=_ref("3.3", "19.4"),
            )
        },
        default_specimen="serum",
        panel_group="vegf",
    ),
    Analyte(
        "flc_lambda",
        "Free light chain lambda",
        {
            "serum": _spec(
                "flc_lambda",
                "Free lambda",
                "mg/L",
                _units(**{"mg/L": "1", "mg/dL": "10"}),
                0,
                50000,
                decimal_places=1,
                loinc="33944-0",
                specimen="serum",
                reference=_ref("5.7", "26.3"),
            )
        },
        default_specimen="serum",
        panel_group="vegf",
    ),
    Analyte(
        "flc_ratio",
        "Kappa/lambda ratio",
        {
            "serum": _spec(
                "flc_ratio",
                "Kappa/lambda ratio",
                "ratio",
                _units(ratio="1"),
                "0.001",
                1000,
                decimal_places=3,
                loinc="104546-7",
                specimen="serum",
                reference=_ref("0.26", "1.65"),
            )
        },
        default_specimen="serum",
        panel_group="vegf",
    ),
    Analyte(
        "creatinine",
        "Creatinine",
        {
            "serum": _spec(
                "creatinine",
                "Creatinine",
                "umol/L",
                _units(**{"umol/L": "1", "mg/dL": "88.4"}),
                10,
                2000,
                decimal_places=0,
                loinc="2160-0",
                specimen="serum",
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "egfr",
        "eGFR",
        {
            "serum": _spec(
                "egfr",
                "eGFR",
                "mL/min/1.73m2",
                _units(**{"mL/min/1.73m2": "1"}),
                1,
                200,
                decimal_places=0,
                loinc="62238-1",
                specimen="serum",
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "albumin",
        "Albumin",
        {
            "serum": _spec(
                "albumin",
                "Albumin",
                "g/L",
                _units(**{"g/L": "1", "g/dL": "10"}),
                5,
                70,
                decimal_places=0,
                loinc="1751-7",
                specimen="serum",
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "calcium",
        "Calcium",
        {
            "serum": _spec(
                "calcium",
                "Calcium",
                "mmol/L",
                _units(**{"mmol/L": "1", "mg/dL": "0.2495"}),
                "0.5",
                "5.0",
                decimal_places=2,
                loinc="17861-6",
                specimen="serum",
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "tsh",
        "TSH",
        {
            "serum": _spec(
                "tsh",
                "TSH",
                "mU/L",
                _units(**{"mU/L": "1", "uIU/mL": "1"}),
                0,
                500,
                decimal_places=2,
                loinc="3016-3",
                specimen="serum",
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "free_t4",
        "Free T4",
        {
            "serum": _spec(
                "free_t4",
                "Free T4",
                "pmol/L",
                _units(**{"pmol/L": "1", "ng/dL": "12.87"}),
                0,
                200,
                decimal_places=1,
                loinc="3024-7",
                specimen="serum",
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "testosterone_total",
        "Testosterone (total)",
        {
            "serum": _spec(
                "testosterone_total",
                "Testosterone",
                "nmol/L",
                _units(**{"nmol/L": "1", "ng/dL": "0.0347"}),
                0,
                100,
                decimal_places=2,
                loinc="2986-8",
                specimen="serum",
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "prolactin",
        "Prolactin",
        {
            "serum": _spec(
                "prolactin",
                "Prolactin",
                "ug/L",
                _units(**{"ug/L": "1", "mU/L": "1"}),
                0,
                10000,
                decimal_places=1,
                loinc="2842-3",
                specimen="serum",
                convertible=False,
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "cortisol",
        "Cortisol",
        {
            "serum": _spec(
                "cortisol",
                "Cortisol",
                "nmol/L",
                _units(**{"nmol/L": "1", "ug/dL": "27.59"}),
                0,
                3000,
                decimal_places=0,
                specimen="serum",
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "glucose_fasting",
        "Fasting glucose",
        {
            "plasma": _spec(
                "glucose_fasting",
                "Fasting glucose",
                "mmol/L",
                _units(**{"mmol/L": "1", "mg/dL": "0.0555"}),
                "0.5",
                50,
                decimal_places=1,
                loinc="2345-7",
                specimen="plasma",
            )
        },
        default_specimen="plasma",
    ),
    Analyte(
        "hba1c",
        "HbA1c",
        {
            "whole_blood": _spec(
                "hba1c",
                "HbA1c",
                "%",
                _units(**{"%": "1", "mmol/mol": "1"}),
                3,
                200,
                decimal_places=1,
                loinc="4548-4",
                specimen="whole_blood",
                convertible=False,
                bounds_by_unit={"%": (Decimal(3), Decimal(20)), "mmol/mol": (Decimal(9), Decimal(200))},
            )
        },
        default_specimen="whole_blood",
    ),
)

ANALYTES: dict[str, Analyte] = {analyte.code: analyte for analyte in _ANALYTES}
ANALYTE_CHOICES = tuple((analyte.code, analyte.label) for analyte in _ANALYTES)


def get_analyte(code: str) -> Analyte:
    try:
        return ANALYTES[code]
    except KeyError:
        raise CatalogueError(f"unknown analyte {code!r}; allowed: {', '.join(ANALYTES)}") from None


def get_spec(code: str, specimen: str = "") -> AnalyteSpec:
    """The spec of `code` measured in `specimen` (blank: the analyte's usual specimen)."""
    analyte = get_analyte(code)
    if not specimen:
        if analyte.specimen_required:
            raise CatalogueError(f"specimen is required for {code}; allowed: {', '.join(analyte.specimens)}")
        specimen = analyte.default_specimen
    try:
        return analyte.specs[specimen]
    except KeyError:
        raise CatalogueError(
            f"specimen {specimen!r} is not accepted for {code}; allowed: {', '.join(analyte.specimens)}"
        ) from None


@dataclass(frozen=True)
class Measurement:
    """A validated numeric result: as entered and in the canonical unit."""

    comparator: str
    value_as_entered: Decimal
    unit_as_entered: str
    value_canonical: Decimal
    unit_canonical: str


def parse_value(text: str) -> tuple[str, Decimal]:
    """Split '<5' into ('<', Decimal('5')); raise CatalogueError on anything else."""
    raw = text.strip()
    comparator = "="
    if raw[:1] in ("<", ">"):
        comparator, raw = raw[0], raw[1:].strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise CatalogueError(f"{text!r} is not a number (use '.' for decimals; '<' or '>' may lead)") from None
    if not value.is_finite():
        raise CatalogueError(f"{text!r} is not a finite number")
    return comparator, value


def bounds_for(spec: AnalyteSpec, unit: str, overrides: Mapping[str, tuple] | None = None) -> tuple:
    """Engineering bounds in the canonical unit (or in `unit` for non-convertible analytes)."""
    if overrides and spec.key in overrides:
        low, high = overrides[spec.key]
        return _d(low), _d(high)
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
    unit = unit.strip() or spec.canonical_unit
    if unit not in spec.units:
        raise CatalogueError(f"unit {unit!r} is not accepted for {spec.label}; allowed: {spec.accepted_units_text()}")
    factor = spec.units[unit]
    if spec.convertible:
        canonical_unit = spec.canonical_unit
        canonical = value * factor
    else:
        canonical_unit, canonical = unit, value
    places = Decimal(1).scaleb(-max(spec.decimal_places, 0) - 2)
    canonical = canonical.quantize(places).normalize() if canonical else Decimal(0)
    low, high = bounds_for(spec, canonical_unit, bounds_overrides)
    if (low is not None and canonical < low) or (high is not None and canonical > high):
        if spec.convertible and unit != canonical_unit:
            entered = f"{_fmt(_significant(low / factor))} to {_fmt(_significant(high / factor))} {unit}"
            message = (
                f"{_fmt(value)} {unit} is outside the plausible range for {spec.label}: "
                f"{_fmt(low)} to {_fmt(high)} {canonical_unit} ({entered})"
            )
        else:
            message = (
                f"{_fmt(value)} {unit} is outside the plausible range for {spec.label}: "
                f"{_fmt(low)} to {_fmt(high)} {canonical_unit}"
            )
        raise CatalogueError(message)
    return Measurement(comparator, value, unit, canonical, canonical_unit)


def convert_reference(spec: AnalyteSpec, value: Decimal | None, unit: str = "") -> Decimal | None:
    """A report's reference limit, given in the same unit as its value, in the canonical unit,
    rounded like the analyte's canonical values (at most four decimal places, as stored)."""
    if value is None:
        return None
    unit = unit.strip() or spec.canonical_unit
    factor = spec.units.get(unit, Decimal(1)) if spec.convertible else Decimal(1)
    places = min(spec.decimal_places + 2, 4)
    return (value * factor).quantize(Decimal(1).scaleb(-places)).normalize()


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


def format_value(value: Decimal | None, places: int = 2) -> str:
    """A canonical value for display: thousands separators, trailing zeros dropped."""
    if value is None:
        return ""
    if value == value.to_integral():
        return f"{int(value):,}"
    text = f"{value:,.{places}f}".rstrip("0").rstrip(".")
    return text
