"""Timeline markers for the records that are not rule series (bone marrow biopsies, clinical
events), and the outcome times of the patient page.

No queries: reads the lists `selectors.patient_record` loaded for the patient page, leaving
out records marked entered in error.
"""

from django.urls import reverse
from django.utils import timezone

from tracker import charts
from tracker.models import RecordStatus
from tracker.rules.outcomes import Outcome, outcomes
from tracker.selectors.rule_data import patients_outcome_inputs

FINAL = RecordStatus.FINAL


def _marrow(biopsy) -> tuple[str, str]:
    parts = []
    if biopsy.plasma_cells_pct is not None:
        parts.append(f"{biopsy.plasma_cells_pct.normalize():f} % plasma cells")
    if biopsy.clonality:
        parts.append(biopsy.get_clonality_display().lower())
    label = f"{biopsy.plasma_cells_pct.normalize():f} %" if biopsy.plasma_cells_pct is not None else "BM"
    return label, "Bone marrow biopsy" + (": " + ", ".join(parts) if parts else "")


def record_markers(patient, record: dict) -> tuple[charts.RecordMarker, ...]:
    page = reverse("patient_detail", args=[patient.pk])
    markers = []
    for biopsy in record.get("marrow", ()):
        if biopsy.status != FINAL:
            continue
        label, hover = _marrow(biopsy)
        markers.append(
            charts.RecordMarker(biopsy.biopsy_date, "Bone marrow", label, hover, f"{page}#marrow-{biopsy.pk}")
        )
    for event in record.get("events", ()):
        if event.status != FINAL:
            continue
        hover = event.get_event_display() + (f", CTCAE grade {event.grade}" if event.grade else "")
        label = EVENT_LABELS.get(event.event, "AE")
        markers.append(charts.RecordMarker(event.onset_date, "Events", label, hover, f"{page}#event-{event.pk}"))
    return tuple(markers)


EVENT_LABELS = {
    "dvt": "DVT",
    "pe": "PE",
    "arterial_thrombosis": "AT",
    "infection": "Inf",
    "engraftment_syndrome": "ES",
    "admission": "Adm",
    "adverse_event": "AE",
    "relapse": "Relapse",
    "progression": "PD",
    "death": "Death",
}


def patient_outcomes(record: dict, as_of=None) -> list[Outcome]:
    """Outcome times from each response anchor of the patient's valid treatments."""
    anchors = [t.t0_on for t in record.get("treatments", ()) if t.status == FINAL and t.t0_on]
    events = [(e.event, e.onset_date) for e in record.get("events", ()) if e.status == FINAL]
    return outcomes(anchors, events, as_of or timezone.localdate())


def cohort_outcomes(patients, as_of) -> list[Outcome]:
    """Each patient's outcome from their first response anchor (patients without one are left
    out). Two queries."""
    found = []
    for anchors, events in patients_outcome_inputs(patients).values():
        if anchors:
            found.append(outcomes([min(anchors)], events, as_of)[0])
    return found
