"""Selector output -> Plotly figure dicts for the patient timeline, the summary and the cohort.

Pure functions over plain data (`TimelineInput`, the rule engine's `PatientData`): no queries,
no model instances, no clock. Every figure is a JSON-safe dict the template hands to the page
with `json_script`; `static/tracker/charts.js` draws it with the plotly.js of the installed
`plotly` package. Nothing here writes JavaScript.
"""

from __future__ import annotations

from tracker.charts.clinic_panels import clinic_days, ncs_panel, scores_panel, symptoms_panel
from tracker.charts.cohort import cohort_chart
from tracker.charts.context import PanelContext, anchors_of, padded_range
from tracker.charts.inputs import CohortPatient, FlagMark, RecordMarker, TimelineInput
from tracker.charts.lab_panels import blood_count_panel, lab_days, paraprotein_panel, vegf_panel
from tracker.charts.strip import strip_days, treatment_strip
from tracker.charts.survival import survival_chart

PANELS = (treatment_strip, vegf_panel, blood_count_panel, paraprotein_panel, scores_panel, ncs_panel, symptoms_panel)
"""Top to bottom, the order of DESIGN.md section 5."""


def x_range_of(source: TimelineInput) -> tuple[str, str]:
    """The shared time axis: from the first to the last day something is drawn on it, with a
    little room either side (`padded_range`).

    Drawn are the plotted results, scores, nerve studies, symptom reports and weights, the
    treatment bars, imaging and record markers, and the T0 lines. Records no panel draws (a
    sensory nerve study, a haematocrit, a symptom report of zeros only) do not stretch it,
    and neither does today: the axis reaches today only while a treatment goes on, since its
    bar runs to today. With nothing drawn it is a short span around today.
    """
    days = lab_days(source.data) + clinic_days(source.data) + strip_days(source) + list(anchors_of(source))
    return padded_range(days, fallback=source.as_of)


def timeline_panels(source: TimelineInput, *, compact: bool = False) -> dict:
    """Every panel of the patient timeline, all on one x range (`x_range_of`).

    Returns {"x_range": [start, end], "panels": [...]}; a panel without data keeps only its
    title and an `empty` note, so the page says what is missing instead of drawing nothing.
    `compact` makes the smaller figures of the printable summary.
    """
    ctx = PanelContext.build(source, x_range=x_range_of(source), compact=compact)
    return {"x_range": list(ctx.x_range), "panels": [build(ctx) for build in PANELS]}


__all__ = [
    "CohortPatient",
    "FlagMark",
    "RecordMarker",
    "TimelineInput",
    "cohort_chart",
    "survival_chart",
    "timeline_panels",
    "x_range_of",
]
