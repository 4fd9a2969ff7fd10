"""Codes for FHIR: UCUM units for the catalogue's units, and analyte codes both ways.

UCUM (https://ucum.org/ucum, the Unified Code for Units of Measure) spells powers of ten as
`10*9`, international units as `[IU]` and annotations in braces. Every catalogue unit maps to
exactly one UCUM code; a unit not listed here is refused on import. Pure: no Django.
"""

from __future__ import annotations

from tracker import catalogue
from tracker.interop.columns import ANALYTE_SYSTEM, ITEM_SYSTEM, LOINC_SYSTEM, PROJECT_SYSTEM, SPECIMEN_SYSTEM

UCUM_SYSTEM = "http://unitsofmeasure.org"
MRN_SYSTEM = "https://poems-tracker.example.org/fhir/NamingSystem/mrn"
CLINIC_SYSTEM = "https://poems-tracker.example.org/fhir/NamingSystem/clinic"
EXTENSION_BASE = "https://poems-tracker.example.org/fhir/StructureDefinition"
QUESTIONNAIRE_URL = "https://poems-tracker.example.org/fhir/Questionnaire/symptom-checklist"
IFE_SYSTEM = f"{PROJECT_SYSTEM}/ife-result"
IMAGING_RESPONSE_SYSTEM = f"{PROJECT_SYSTEM}/imaging-response"
TREATMENT_CATEGORY_SYSTEM = f"{PROJECT_SYSTEM}/treatment-category"
AGENT_SYSTEM = f"{PROJECT_SYSTEM}/agent"
CONFOUNDER_SYSTEM = f"{PROJECT_SYSTEM}/confounder"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# The rest of the follow-up record: the project cites no published code for these items, so
# they are coded in its own systems (as VEGF is).
EVENT_SYSTEM = f"{PROJECT_SYSTEM}/event"
CLONALITY_SYSTEM = f"{PROJECT_SYSTEM}/clonality"
EXAM_FINDING_SYSTEM = f"{PROJECT_SYSTEM}/exam-finding"
MODALITY_SYSTEM = f"{PROJECT_SYSTEM}/imaging-modality"
LESION_APPEARANCE_SYSTEM = f"{PROJECT_SYSTEM}/lesion-appearance"
LESION_STATUS_SYSTEM = f"{PROJECT_SYSTEM}/lesion-status"
# HL7 terminology bound by the R4 AdverseEvent and Condition resources.
ADVERSE_EVENT_SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
ADVERSE_EVENT_OUTCOME = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"

UCUM = {
    "pg/mL": "pg/mL",
    "ng/L": "ng/L",
    "g/L": "g/L",
    "g/dL": "g/dL",
    "L/L": "L/L",
    "%": "%",
    "10^9/L": "10*9/L",
    "10^3/uL": "10*3/uL",
    "mg/24h": "mg/(24.h)",
    "g/24h": "g/(24.h)",
    "mg/L": "mg/L",
    "mg/dL": "mg/dL",
    "ratio": "{ratio}",
    "umol/L": "umol/L",
    "mmol/L": "mmol/L",
    "nmol/L": "nmol/L",
    "pmol/L": "pmol/L",
    "ng/dL": "ng/dL",
    "ug/dL": "ug/dL",
    "ug/L": "ug/L",
    "mU/L": "m[IU]/L",
    "uIU/mL": "u[IU]/mL",
    "mmol/mol": "mmol/mol",
    "mL/min/1.73m2": "mL/min/{1.73_m2}",
    # Enzyme activities and hormones of the whole record: U is UCUM's enzyme unit (umol/min),
    # [IU] the international unit, kat the katal.
    "U/L": "U/L",
    "IU/L": "[IU]/L",
    "mIU/mL": "m[IU]/mL",
    "ukat/L": "ukat/L",
    # Units of the clinical scores and measures
    "{score}": "{score}",
    "{boolean}": "{boolean}",
    "kg": "kg",
    "mV": "mV",
    "uV": "uV",
    "ms": "ms",
    "m/s": "m/s",
    "Gy": "Gy",
    "mg/m2": "mg/m2",
    "mm": "mm",
    "{SUV}": "{SUV}",
}
FROM_UCUM = {code: unit for unit, code in UCUM.items()}


def _loinc_index() -> dict[str, tuple[str, str]]:
    index = {}
    for analyte in catalogue.ANALYTES.values():
        for specimen, spec in analyte.specs.items():
            if spec.loinc:
                index[spec.loinc] = (analyte.code, specimen)
    return index


# Mass-concentration codes a hospital system may send for analytes the catalogue keeps in
# moles: accepted on import (the value's unit converts it), never written.
LOINC_ALIASES = {
    "2160-0": ("creatinine", "serum"),
    "17861-6": ("calcium", "serum"),
    "3024-7": ("free_t4", "serum"),
    "2986-8": ("testosterone_total", "serum"),
    "2345-7": ("glucose_fasting", "plasma"),
    "1558-6": ("glucose_fasting", "plasma"),
}
LOINC_TO_ANALYTE = LOINC_ALIASES | _loinc_index()


def analyte_coding(analyte: str, specimen: str) -> tuple[str, str, str]:
    """(system, code, display): LOINC where the catalogue has a published code, else ours."""
    spec = catalogue.get_spec(analyte, specimen)
    if spec.loinc:
        return LOINC_SYSTEM, spec.loinc, spec.label
    return ANALYTE_SYSTEM, analyte, spec.label


def analyte_from_coding(system: str, code: str) -> tuple[str, str] | None:
    """(analyte, specimen or '') for a coding, or None when the code is not one we know."""
    if system == LOINC_SYSTEM:
        return LOINC_TO_ANALYTE.get(code)
    if system == ANALYTE_SYSTEM and code in catalogue.ANALYTES:
        return code, ""
    return None


__all__ = [
    "ANALYTE_SYSTEM",
    "ITEM_SYSTEM",
    "LOINC_SYSTEM",
    "SPECIMEN_SYSTEM",
    "UCUM",
    "FROM_UCUM",
    "analyte_coding",
    "analyte_from_coding",
]
