"""FHIR R4 resources for the rest of the follow-up record (fhir.resources R4B models):

- a bone marrow biopsy: one `Observation` with the plasma-cell percentage (UCUM `%`) and the
  clonality as components, the method in `method.text`, the result text as a note;
- clinical events: thromboses, infections, engraftment syndrome, admissions and other adverse
  events as `AdverseEvent` (CTCAE v5 grade as an extension, and `severity` from the grade's
  CTCAE adjective: 1 mild, 2 moderate, 3 to 5 severe); clinician-confirmed relapse or
  progression as a confirmed `Condition`; a death as `Patient.deceasedDateTime` and an
  `Observation` whose value is the cause;
- an imaging lesion: one `Observation` with `bodySite` (the site as written), the modality as
  `method`, and appearance, size (UCUM `mm`), SUVmax and status as components;
- the examination at a visit: one `Observation` per finding, like the visit scores.

The project cites no published LOINC or SNOMED code for these items, so they are coded in its
own code systems (`fhir_codes`), as VEGF is; a cited code can later be added as a second
coding. Ids derive from each record's natural key. Pure: no query.
"""

from __future__ import annotations

from fhir.resources.R4B.adverseevent import AdverseEvent
from fhir.resources.R4B.annotation import Annotation
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.observation import Observation, ObservationComponent

from tracker.interop import columns as cols
from tracker.interop import columns_record as record_cols
from tracker.interop import fhir_codes as codes
from tracker.interop.fhir_out_base import (
    category_of,
    concept,
    ext,
    item_observation,
    quantity,
    resource_id,
    subject,
)
from tracker.models.events import RELAPSE_EVENTS, EventKind
from tracker.models.imaging import Modality
from tracker.models.lesions import Appearance, LesionStatus
from tracker.models.marrow import Clonality
from tracker.models.visits import ExamFinding

MARROW_CODE = ("marrow_biopsy", "Bone marrow biopsy")
LESION_CODE = ("imaging_lesion", "Lesion on imaging")
LESION_PARTS = {
    "appearance": ("lesion_appearance", "Appearance"),
    "size_mm": ("lesion_size_mm", "Size (largest diameter)"),
    "suv_max": ("lesion_suv_max", "SUVmax"),
    "lesion_status": ("lesion_status", "Lesion status"),
}
CTCAE_SEVERITY = {1: "mild", 2: "moderate", 3: "severe", 4: "severe", 5: "severe"}
"""CTCAE v5 names grade 1 mild, grade 2 moderate and grade 3 severe (4 life-threatening, 5
death): the HL7 AdverseEvent severity the grade falls under. The grade itself is exported too."""


def _notes(text: str) -> list[Annotation] | None:
    return [Annotation(text=text)] if text else None


def _component(code: str, label: str, **value) -> ObservationComponent:
    return ObservationComponent(code=concept(cols.ITEM_SYSTEM, code, label), **value)


def marrow_observation(patient: dict, row: dict) -> Observation:
    parts = []
    if row["plasma_cells_pct"] is not None:
        item = record_cols.MARROW_PLASMA_CELLS
        parts.append(_component(item.item, item.label, valueQuantity=quantity(row["plasma_cells_pct"], "%")))
    if row["clonality"]:
        item = record_cols.MARROW_CLONALITY
        value = concept(codes.CLONALITY_SYSTEM, row["clonality"], Clonality(row["clonality"]).label)
        parts.append(_component(item.item, item.label, valueCodeableConcept=value))
    return Observation(
        id=resource_id("marrow", patient["mrn"], row["biopsy_date"]),
        status="final",
        category=category_of("laboratory"),
        code=concept(cols.ITEM_SYSTEM, *MARROW_CODE),
        subject=subject(patient),
        effectiveDateTime=row["biopsy_date"],
        method=CodeableConcept(text=row["method"]) if row["method"] else None,
        note=_notes(row["notes"]),
        component=parts or None,
    )


def _event_extensions(row: dict, *, resolved: bool = True, cause: bool = True, note: bool = False) -> list[Extension]:
    found = []
    if row["grade"] is not None:
        found.append(ext("ctcae-grade", valuePositiveInt=row["grade"]))
    if resolved and row["resolved_on"]:
        found.append(ext("resolved-on", valueDate=row["resolved_on"]))
    if row["treatment_related"] is not None:
        found.append(ext("treatment-related", valueBoolean=bool(row["treatment_related"])))
    if cause and row["cause"]:
        found.append(ext("cause", valueString=row["cause"]))
    if note and row["notes"]:
        found.append(ext("note", valueString=row["notes"]))
    return found


def _event_code(row: dict) -> CodeableConcept:
    """The event in the project's code system; the CTCAE term, as written, as its text."""
    return concept(codes.EVENT_SYSTEM, row["event"], EventKind(row["event"]).label, text=row["ctcae_term"])


def event_resource(patient: dict, row: dict) -> AdverseEvent | Condition | Observation:
    identity = resource_id("event", patient["mrn"], row["event"], row["onset_date"])
    if row["event"] == EventKind.DEATH:
        return Observation(
            id=identity,
            extension=_event_extensions(row, cause=False) or None,
            status="final",
            code=_event_code(row),
            subject=subject(patient),
            effectiveDateTime=row["onset_date"],
            valueString=row["cause"] or None,
            note=_notes(row["notes"]),
        )
    if row["event"] in RELAPSE_EVENTS:
        return Condition(
            id=identity,
            extension=_event_extensions(row, resolved=False) or None,
            clinicalStatus=concept(codes.CONDITION_CLINICAL, "resolved" if row["resolved_on"] else "active"),
            verificationStatus=concept(codes.CONDITION_VERIFICATION, "confirmed"),
            code=_event_code(row),
            subject=subject(patient),
            onsetDateTime=row["onset_date"],
            abatementDateTime=row["resolved_on"],
            note=_notes(row["notes"]),
        )
    severity = CTCAE_SEVERITY.get(row["grade"])
    return AdverseEvent(
        id=identity,
        extension=_event_extensions(row, note=True) or None,
        actuality="actual",
        event=_event_code(row),
        subject=subject(patient),
        date=row["onset_date"],
        severity=concept(codes.ADVERSE_EVENT_SEVERITY, severity) if severity else None,
        outcome=concept(codes.ADVERSE_EVENT_OUTCOME, "resolved") if row["resolved_on"] else None,
    )


def deceased_on(events: list[dict]):
    """The date of death of the patient's (first) recorded death, or None."""
    return min((row["onset_date"] for row in events if row["event"] == EventKind.DEATH), default=None)


def lesion_observation(patient: dict, row: dict) -> Observation:
    parts = []
    for field, systems in (("appearance", (codes.LESION_APPEARANCE_SYSTEM, Appearance)),
                           ("lesion_status", (codes.LESION_STATUS_SYSTEM, LesionStatus))):  # fmt: skip
        if row[field]:
            system, choices = systems
            value = concept(system, row[field], choices(row[field]).label)
            parts.append(_component(*LESION_PARTS[field], valueCodeableConcept=value))
    for field, unit in (("size_mm", "mm"), ("suv_max", "{SUV}")):
        if row[field] is not None:
            parts.append(_component(*LESION_PARTS[field], valueQuantity=quantity(row[field], unit)))
    modality = row["modality"]
    return Observation(
        id=resource_id("lesion", patient["mrn"], row["study_date"], modality, row["site"]),
        status="final",
        category=category_of("imaging"),
        code=concept(cols.ITEM_SYSTEM, *LESION_CODE),
        subject=subject(patient),
        effectiveDateTime=row["study_date"],
        bodySite=CodeableConcept(text=row["site"]),
        method=concept(codes.MODALITY_SYSTEM, modality, Modality(modality).label),
        component=parts or None,
    )


def exam_observations(patient: dict, visit: dict) -> list[Observation]:
    found = []
    day = visit["visit_date"]
    for item in record_cols.exam_items():
        value = visit[item.item]
        if value is None or value == "":
            continue
        if item.codes:
            shown = concept(codes.EXAM_FINDING_SYSTEM, value, ExamFinding(value).label)
            found.append(item_observation(patient, day, item, category="exam", valueCodeableConcept=shown))
        elif item.unit == "{boolean}":
            found.append(item_observation(patient, day, item, category="exam", valueBoolean=bool(value)))
        else:
            found.append(
                item_observation(patient, day, item, category="exam", valueQuantity=quantity(value, item.unit))
            )
    return found


def record_resources(patient: dict, records) -> list:
    """The whole record's resources of one patient, after the core ones, in a fixed order."""
    found: list = []
    for visit in records.visits:
        found += exam_observations(patient, visit)
    found += [marrow_observation(patient, row) for row in records.tables.get("marrow", ())]
    found += [event_resource(patient, row) for row in records.tables.get("events", ())]
    found += [lesion_observation(patient, row) for row in records.tables.get("lesions", ())]
    return found
