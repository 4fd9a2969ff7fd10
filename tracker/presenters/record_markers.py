"""Timeline markers for the records that are not rule series: bone marrow biopsies.

No queries: reads the lists `selectors.patient_record` loaded for the patient page, leaving
out records marked entered in error.
"""

from django.urls import reverse

from tracker import charts
from tracker.models import RecordStatus

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
    return tuple(markers)
