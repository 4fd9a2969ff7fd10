"""The patient timeline's input: the patient page's records as the plain input of charts.

`timeline_input` reuses the lists `selectors.patient_record` already loaded for the patient
page, so the charts add no query, however many years of data there are. It leaves out every
record marked entered in error before the chart builders see anything.
"""

from django.urls import reverse
from django.utils import timezone

from tracker import charts, record_types
from tracker.models import LabSource, RecordStatus, SymptomSource
from tracker.presenters.record_markers import record_markers
from tracker.rules.data import PatientData
from tracker.rules.outcomes import DEATH
from tracker.selectors.points import ncs_point
from tracker.services.flags import rule_params

FINAL = RecordStatus.FINAL
LAB_SOURCES = {code: label.lower() for code, label in LabSource.choices}
SYMPTOM_SOURCES = {code: label.lower() for code, label in SymptomSource.choices}


def valid_in_order(records, date_field: str) -> list:
    """The records not marked entered in error, oldest first (ties by id)."""
    return sorted((r for r in records if r.status == FINAL), key=lambda r: (getattr(r, date_field), r.id))


def lab_source(lab) -> str:
    """ "City lab, ELISA; csv import": where a value came from (plain dict look-ups, as ten
    years of monthly results make a thousand of these per page)."""
    where = lab.lab or "lab not given"
    if lab.assay:
        where += f", {lab.assay}"
    text = f"{where}; {LAB_SOURCES.get(lab.source, lab.source)}"
    if lab.unit_as_entered and lab.unit_as_entered != lab.unit_canonical and lab.display_as_entered:
        text += f"; entered as {lab.display_as_entered}"
    return text


def visit_source(visit) -> str:
    clinician = visit.clinician
    if clinician is None:
        return "clinic visit"
    return f"clinic visit, {clinician.get_full_name() or clinician.get_username()}"


def timeline_input(patient, record: dict, *, as_of=None) -> charts.TimelineInput:
    """The patient's valid record as the plain input of `tracker.charts`. No queries: the
    record's lists, the NCS results prefetched with their studies, and the stored flags.
    Every rule series of the registry is built by its own point builder; NCS results come
    from inside their studies."""
    valid = {
        rt.series: valid_in_order(record[rt.series], rt.date_field)
        for rt in record_types.rule_series()
        if rt.series in record
    }
    studies = valid_in_order(record["nerve_studies"], "study_date")
    ncs = [(study, row) for study in studies for row in study.results.all() if row.status == FINAL]
    series = {
        rt.series: tuple(rt.point(r) for r in valid[rt.series])
        for rt in record_types.rule_series()
        if rt.series in valid
    }
    series["ncs"] = tuple(ncs_point(r, study_date=s.study_date, lab=s.lab) for s, r in ncs)
    deaths = [e.onset_date for e in record.get("events", ()) if e.status == FINAL and e.event == DEATH]
    data = PatientData(sex=patient.sex, died_on=min(deaths, default=None), **series)
    sources = {("lab", r.id): lab_source(r) for r in valid["labs"]}
    sources.update({("visit", v.id): visit_source(v) for v in valid["visits"]})
    sources.update({("symptom", s.id): SYMPTOM_SOURCES.get(s.source, s.source) for s in valid["symptoms"]})
    sources.update({("ncs", r.id): s.lab or "nerve conduction study" for s, r in ncs})
    flags = tuple(
        charts.FlagMark(
            pk=f.pk,
            rule=f.rule,
            severity=f.severity,
            status=f.status,
            raised_on=f.raised_on,
            explanation=f.explanation,
            evidence=f.evidence or {},
            url=reverse("flag_detail", args=[f.pk]),
        )
        for f in record["flags"]
    )
    return charts.TimelineInput(
        data=data,
        as_of=as_of or timezone.localdate(),
        params=rule_params(),
        sources=sources,
        treatment_labels={t.id: t.label for t in valid["treatments"]},
        flags=flags,
        markers=record_markers(patient, record),
    )


def timeline_context(patient, record: dict) -> dict:
    """What `includes/_patient_timeline.html` needs. No queries (see the module docstring)."""
    return {"timeline": charts.timeline_panels(timeline_input(patient, record))}
