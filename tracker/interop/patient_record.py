"""A patient's own copy of their record, for the portal: what the portal shows them, as FHIR
JSON and as a readable CSV.

It holds the patient's details, their symptom reports, their treatments and the lab results
the clinic team has chosen to share on the portal (`PatientPortal.released_analytes`); other
findings reach the patient through their clinic, which can export the whole record with
`export_fhir --mrn`.
"""

from __future__ import annotations

import csv
import io

from fhir.resources.R4B.bundle import Bundle, BundleEntry

from tracker import catalogue
from tracker.interop import fhir_out, research, selectors
from tracker.interop.fhir_bundle import FHIR_BASE
from tracker.interop.pseudonym import PatientMask
from tracker.models.symptoms import SYMPTOM_ITEMS
from tracker.models.treatments import TreatmentCategory

CSV_HEADER = ("date", "what", "value", "unit", "value as entered", "specimen")
SYMPTOM_WORDING = dict(SYMPTOM_ITEMS) | {"weight_kg": "Weight (kg)"}


def own_records(
    patient: dict, records: selectors.PatientRecords, released, withheld: set[tuple] = frozenset()
) -> selectors.PatientRecords:
    """The part of the record the patient sees on the portal: the shared tests, less the results
    held back until a clinician has reviewed them (`withheld`: analyte, specimen, lab, date)."""
    shared = set(released)
    return selectors.PatientRecords(
        labs=[
            lab
            for lab in records.labs
            if lab["analyte"] in shared
            and (lab["analyte"], lab["specimen"], lab.get("lab", ""), lab["collected_on"]) not in withheld
        ],
        symptoms=records.symptoms,
        treatments=records.treatments,
    )


def record_bundle_json(patient: dict, records: selectors.PatientRecords) -> str:
    resources = [fhir_out.symptom_questionnaire(), *fhir_out.patient_resources(patient, records)]
    entries = [BundleEntry(fullUrl=f"{FHIR_BASE}/{r.get_resource_type()}/{r.id}", resource=r) for r in resources]
    return Bundle(type="collection", entry=entries).model_dump_json(exclude_none=True, indent=1)


def _label(row: list) -> str:
    obs = research.OBS
    domain, item, specimen = row[obs["domain"]], row[obs["item"]], row[obs["specimen"]]
    if domain == "lab":
        return catalogue.get_spec(item, specimen).label
    return f"Your report: {SYMPTOM_WORDING.get(item, item)}" if domain == "symptom" else item


def record_csv(patient: dict, records: selectors.PatientRecords) -> str:
    """Dates, what was measured or reported, values and units, oldest first."""
    mask = PatientMask(patient["mrn"])
    obs = research.OBS
    lines = []
    for row in research.observation_rows(records, mask):
        value = row[obs["comparator"]] + (row[obs["value"]] or row[obs["value_code"]])
        entered = f"{row[obs['value_as_entered']]} {row[obs['unit_as_entered']]}".strip()
        unit = catalogue.display_unit(row[obs["unit"]]) if row[obs["unit"]] not in ("{score}",) else "0-10"
        lines.append([row[obs["date"]], _label(row), value, unit, entered, row[obs["specimen"]]])
    for treatment in records.treatments:
        what = f"Treatment: {TreatmentCategory(treatment['category']).label}"
        end = research.iso(treatment["end_date"]) or "ongoing"
        lines.append([research.iso(treatment["start_date"]), what, treatment["regimen"], f"until {end}", "", ""])
    lines.sort(key=lambda line: line[0])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(lines)
    return buffer.getvalue()
