"""The patient timeline (charts), the printable one-page summary and the consultants' cohort.

`timeline_context` reuses the lists `selectors.patient_record` already loaded for the patient
page, so the charts add no query, however many years of data there are. It leaves out every
record marked entered in error before the chart builders see anything.
"""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from tracker import charts, selectors
from tracker.access import clinical_required, consultant_required, get_patient_for, patients_visible_to
from tracker.accounts.audit import patient_reads_record
from tracker.models import LabSource, RecordStatus, SymptomSource
from tracker.rules.data import PatientData
from tracker.services.flags import flags_evaluate, rule_params

FINAL = RecordStatus.FINAL


def _valid(records) -> list:
    return [r for r in records if r.status == FINAL]


LAB_SOURCES = {code: label.lower() for code, label in LabSource.choices}
SYMPTOM_SOURCES = {code: label.lower() for code, label in SymptomSource.choices}


def _lab_source(lab) -> str:
    """ "City lab, ELISA; csv import": where a value came from (plain dict look-ups, as ten
    years of monthly results make a thousand of these per page)."""
    where = lab.lab or "lab not given"
    if lab.assay:
        where += f", {lab.assay}"
    text = f"{where}; {LAB_SOURCES.get(lab.source, lab.source)}"
    if lab.unit_as_entered and lab.unit_as_entered != lab.unit_canonical and lab.display_as_entered:
        text += f"; entered as {lab.display_as_entered}"
    return text


def _visit_source(visit) -> str:
    clinician = visit.clinician
    if clinician is None:
        return "clinic visit"
    return f"clinic visit, {clinician.get_full_name() or clinician.get_username()}"


def timeline_input(patient, record: dict, *, as_of=None) -> charts.TimelineInput:
    """The patient's valid record as the plain input of `tracker.charts`. No queries: the
    record's lists, the NCS results prefetched with their studies, and the stored flags."""
    labs = sorted(_valid(record["labs"]), key=lambda r: (r.collected_on, r.id))
    treatments = sorted(_valid(record["treatments"]), key=lambda t: (t.start_date, t.id))
    visits = sorted(_valid(record["visits"]), key=lambda v: (v.visit_date, v.id))
    studies = sorted(_valid(record["nerve_studies"]), key=lambda s: (s.study_date, s.id))
    imaging = sorted(_valid(record["imaging"]), key=lambda s: (s.study_date, s.id))
    symptoms = sorted(_valid(record["symptoms"]), key=lambda s: (s.reported_on, s.id))
    ncs = [(study, row) for study in studies for row in _valid(study.results.all())]
    data = PatientData(
        sex=patient.sex,
        labs=tuple(selectors.lab_point(r.__dict__) for r in labs),
        treatments=tuple(selectors.treatment_point(t) for t in treatments),
        visits=tuple(selectors.visit_point(v.__dict__) for v in visits),
        ncs=tuple(selectors.ncs_point(r.__dict__, study_date=s.study_date, lab=s.lab) for s, r in ncs),
        imaging=tuple(selectors.imaging_point(s.__dict__) for s in imaging),
        symptoms=tuple(selectors.symptom_point(s.__dict__) for s in symptoms),
    )
    sources = {("lab", r.id): _lab_source(r) for r in labs}
    sources.update({("visit", v.id): _visit_source(v) for v in visits})
    sources.update({("symptom", s.id): SYMPTOM_SOURCES.get(s.source, s.source) for s in symptoms})
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
        treatment_labels={t.id: t.label for t in treatments},
        flags=flags,
    )


def timeline_context(patient, record: dict) -> dict:
    """What `includes/_patient_timeline.html` needs. No queries (see the module docstring)."""
    return {"timeline": charts.timeline_panels(timeline_input(patient, record))}


@clinical_required
def patient_summary(request, pk):
    """One printable page for clinic letters: header, open flags, response summary, charts."""
    patient = get_patient_for(request.user, pk)
    patient_reads_record(user=request.user, patients=[patient], what="summary")
    record = selectors.patient_record(patient)
    charts_input = timeline_input(patient, record)
    timeline = charts.timeline_panels(charts_input, compact=True)
    # On paper the treatments read better as a line of text than as a strip chart, and the
    # space goes to the charts: the page must fit one A4 sheet.
    panels = [p for p in timeline["panels"] if p["id"] != "treatments"]
    return render(
        request,
        "tracker/charts/summary.html",
        {
            "patient": patient,
            "flags": record["flags"],
            "evaluation": flags_evaluate(patient, data=charts_input.data),
            "treatments": sorted(_valid(record["treatments"]), key=lambda t: (t.start_date, t.id)),
            "imaging": sorted(_valid(record["imaging"]), key=lambda s: (s.study_date, s.id)),
            "panels": [p for p in panels if p["payload"]],
            "missing": [p for p in panels if not p["payload"]],
            "printed_on": timezone.localdate(),
        },
    )


@consultant_required
def cohort(request):
    """Every visible patient's VEGF against their own baseline, aligned at T0. Five queries,
    whatever the number of patients."""
    patients = list(patients_visible_to(request.user).filter(status=FINAL).order_by("mrn"))
    patient_reads_record(user=request.user, patients=patients, what="cohort chart")
    relapsing = selectors.patients_with_active_red_flag(patients)
    people = [
        charts.CohortPatient(
            pk=p.pk,
            mrn=p.mrn,
            name=p.full_name,
            url=reverse("patient_detail", args=[p.pk]),
            relapsing=p.pk in relapsing,
        )
        for p in patients
    ]
    chart = charts.cohort_chart(
        people, selectors.patients_vegf_data(patients), as_of=timezone.localdate(), params=rule_params()
    )
    return render(request, "tracker/charts/cohort.html", {"chart": chart, "n_patients": len(patients)})
