"""The columns of every research-export file: name, type, unit, range, codes, meaning.

One description feeds three outputs, so they cannot drift: the CSV headers, `dictionary.csv`
and the Frictionless schema of `datapackage.json`.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker import catalogue
from tracker.models.imaging import ImagingResponse, Modality
from tracker.models.ncs import NcsKind, Nerve, Side, Site
from tracker.models.patients import LightChain, Sex
from tracker.models.symptoms import SYMPTOM_ITEMS
from tracker.models.treatments import AGENT_CODES, Intent, TreatmentCategory

PROJECT_SYSTEM = "https://poems-tracker.example.org/fhir/CodeSystem"
ANALYTE_SYSTEM = f"{PROJECT_SYSTEM}/analyte"
ITEM_SYSTEM = f"{PROJECT_SYSTEM}/item"
SPECIMEN_SYSTEM = f"{PROJECT_SYSTEM}/specimen"
LOINC_SYSTEM = "http://loinc.org"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless type: string, integer, number, date, boolean
    label: str
    unit: str = ""
    min: object = None
    max: object = None
    codes: tuple[str, ...] = ()
    description: str = ""
    required: bool = False
    constrain: bool = True  # False: min, max and codes are documented, not enforced by the schema

    def dictionary_row(self, file: str) -> dict:
        return {
            "file": file,
            "column": self.name,
            "label": self.label,
            "type": self.type,
            "unit": self.unit,
            "min": "" if self.min is None else self.min,
            "max": "" if self.max is None else self.max,
            "codes": ";".join(self.codes),
            "description": self.description,
        }


def codes_of(choices) -> tuple[str, ...]:
    return tuple(value for value in choices.values if value)


PATIENT_ID = Column(
    "patient_id",
    "string",
    "Patient",
    required=True,
    description="MRN, or with --pseudonymise a keyed pseudonym stable across exports of one installation",
)
DAYS = Column(
    "days_from_anchor",
    "integer",
    "Days from response anchor",
    unit="d",
    description="Days from the latest response anchor (RT completion, ASCT day 0, end of frontline therapy) "
    "on or before the date; blank if none",
)

PATIENTS = (
    PATIENT_ID,
    Column("birth_year", "integer", "Year of birth", min=1900, max=2100),
    Column("birth_date", "date", "Date of birth", description="Left blank in a pseudonymised export"),
    Column("sex", "string", "Sex", codes=codes_of(Sex), required=True),
    Column("clinic", "string", "Clinic code"),
    Column("diagnosis_date", "date", "Date of diagnosis", description="Shifted in a pseudonymised export"),
    Column("light_chain", "string", "Light chain", codes=codes_of(LightChain)),
)

OBSERVATIONS = (
    PATIENT_ID,
    Column("date", "date", "Date", required=True, description="Collection, visit, report or study date"),
    Column("domain", "string", "Domain", codes=("lab", "visit", "symptom", "ncs", "imaging", "marrow"), required=True),
    Column("item", "string", "Item", required=True, description="Analyte code or item name; see dictionary"),
    Column("specimen", "string", "Specimen", codes=catalogue.SPECIMEN_CODES),
    Column("comparator", "string", "Comparator", codes=("<", ">"), description="Value below or above the limit"),
    Column("value", "number", "Value (canonical unit)"),
    Column(
        "value_code",
        "string",
        "Coded value",
        description="Immunofixation result, imaging response, examination finding or marrow clonality",
    ),
    Column("unit", "string", "Canonical unit", description="UCUM-style unit of `value`"),
    Column("value_as_entered", "number", "Value as entered"),
    Column("unit_as_entered", "string", "Unit as entered"),
    Column("detail", "string", "Detail", description="Paraprotein type of an immunofixation, e.g. IgA-lambda"),
    Column("code_system", "string", "Code system", description="LOINC or the project's own code system URL"),
    Column("code", "string", "Code"),
    DAYS,
)

TREATMENTS = (
    PATIENT_ID,
    Column("category", "string", "Category", codes=codes_of(TreatmentCategory), required=True),
    Column("regimen", "string", "Regimen", description="Free text; left blank in a pseudonymised export"),
    Column("agents", "string", "Agents", codes=AGENT_CODES, constrain=False, description="';'-separated agent codes"),
    Column("intent", "string", "Intent", codes=codes_of(Intent)),
    Column("line", "integer", "Line of therapy", min=1, max=30),
    Column("start_date", "date", "Start date", required=True),
    Column("end_date", "date", "End date"),
    Column("anchor_date", "date", "Response anchor (T0)", description="Explicit or default response anchor"),
    Column("total_dose_gy", "number", "Total RT dose", unit="Gy", min=0, max=80),
    Column("fractions", "integer", "RT fractions", min=1, max=60),
    Column("melphalan_mg_m2", "number", "Melphalan dose", unit="mg/m2", min=50, max=250),
    Column("cycles_given", "integer", "Cycles given", min=0, max=100),
)

FLAGS = (
    PATIENT_ID,
    Column("rule", "string", "Rule ID", required=True, description="POEMS-DOMAIN.md section 6.5"),
    Column("rule_version", "string", "Rule version"),
    Column("severity", "string", "Severity", codes=("info", "amber", "red"), required=True),
    Column("domain", "string", "Domain"),
    Column("raised_on", "date", "Raised on", required=True),
    Column("status", "string", "Status", codes=("open", "acknowledged", "closed"), required=True),
    Column("explanation", "string", "Explanation", description="Left blank in a pseudonymised export"),
)

DICTIONARY = tuple(
    Column(name, "string", name.capitalize(), required=name in ("file", "column", "type"))
    for name in ("file", "column", "label", "type", "unit", "min", "max", "codes", "description")
)

WIDE_KEYS = (PATIENT_ID, Column("date", "date", "Date", required=True))


@dataclass(frozen=True)
class Item:
    """One observable item: its name in `observations.csv` and its column in `wide.csv`."""

    domain: str
    item: str
    label: str
    unit: str = ""
    min: object = None
    max: object = None
    codes: tuple[str, ...] = ()
    specimen: str = ""
    constrain: bool = True

    @property
    def wide_name(self) -> str:
        return wide_name(self.domain, self.item, self.specimen)

    def column(self) -> Column:
        coded = bool(self.codes)
        return Column(
            self.wide_name,
            "string" if coded else "number",
            self.label,
            unit=self.unit,
            min=self.min,
            max=self.max,
            codes=self.codes,
            constrain=self.constrain,
            description=f"{self.domain} item {self.item}" + (f" in {self.specimen}" if self.specimen else ""),
        )


def wide_name(domain: str, item: str, specimen: str = "") -> str:
    """The item's column in wide.csv: a lab with its specimen ('vegf_serum'), a visit or
    symptom item with its domain ('visit_weight_kg', 'symptom_weight_kg'), NCS and imaging
    items as they are."""
    if specimen:
        return f"{item}_{specimen}"
    return f"{domain}_{item}" if domain in ("visit", "symptom") else item


def lab_item(analyte: str, specimen: str) -> Item:
    spec = catalogue.get_spec(analyte, specimen)
    codes = catalogue.IFE_CATEGORY_CODES if spec.categorical else ()
    # Plausibility bounds are per deployment and per unit for some analytes: documented only.
    return Item("lab", analyte, spec.label, spec.canonical_unit, spec.low, spec.high, codes, specimen, constrain=False)


VISIT_SCORES = (
    ("onls_arm", "ONLS arm", "{score}", 0, 5),
    ("onls_leg", "ONLS leg", "{score}", 0, 7),
    ("incat_arm", "INCAT arm", "{score}", 0, 5),
    ("incat_leg", "INCAT leg", "{score}", 0, 5),
    ("mrs", "Modified Rankin Scale", "{score}", 0, 6),
    ("ecog", "ECOG performance status", "{score}", 0, 5),
    ("pain_nrs", "Neuropathic pain (NRS)", "{score}", 0, 10),
    ("weight_kg", "Weight at visit", "kg", 20, 300),
)
SYMPTOM_SCORES = tuple((code, label, "{score}", 0, 10) for code, label in SYMPTOM_ITEMS) + (
    ("weight_kg", "Weight reported", "kg", 20, 300),
)
NCS_MEASURES = (
    ("cmap_amp_mv", "CMAP amplitude", "mV", 0, 30),
    ("dml_ms", "Distal motor latency", "ms", 0.5, 30),
    ("cv_ms", "Conduction velocity", "m/s", 5, 90),
    ("f_min_latency_ms", "F-wave minimum latency", "ms", 15, 100),
    ("snap_amp_uv", "SNAP amplitude", "uV", 0, 200),
)
NCS_UNITS = {code: unit for code, _label, unit, _low, _high in NCS_MEASURES}
NCS_ABSENT = ("absent", "Response absent (1 yes)", "{boolean}", 0, 1)


def visit_item(code: str) -> Item:
    code, label, unit, low, high = next(row for row in VISIT_SCORES if row[0] == code)
    return Item("visit", code, label, unit, low, high)


def symptom_item(code: str) -> Item:
    code, label, unit, low, high = next(row for row in SYMPTOM_SCORES if row[0] == code)
    return Item("symptom", code, label, unit, low, high)


def ncs_item_name(*, kind: str, nerve: str, side: str, site: str, measure: str) -> str:
    return f"{kind}_{nerve}_{side}_{site or 'distal'}_{measure}"


def ncs_item(*, kind: str, nerve: str, side: str, site: str, measure: str) -> Item:
    row = next(row for row in (*NCS_MEASURES, NCS_ABSENT) if row[0] == measure)
    where = f"{Side(side).label} {Nerve(nerve).label} {NcsKind(kind).label.lower()} ({Site(site).label})"
    name = ncs_item_name(kind=kind, nerve=nerve, side=side, site=site, measure=measure)
    return Item("ncs", name, f"{where} {row[1]}", row[2], row[3], row[4])


def imaging_items(modality: str) -> tuple[Item, Item]:
    label = Modality(modality).label
    return (
        Item("imaging", f"{modality}_response", f"{label} response category", codes=codes_of(ImagingResponse)),
        Item("imaging", f"{modality}_new_lesion", f"{label} new lesion (1 yes, 0 no)", "{boolean}", 0, 1),
    )
