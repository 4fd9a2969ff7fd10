"""The printable one-page summary and the consultants' cohort. The timeline's input is built
by `tracker.presenters.timeline` from the lists the patient page already loaded."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from tracker import charts, selectors
from tracker.access import clinical_required, consultant_required, get_patient_for, patients_visible_to
from tracker.accounts.audit import patient_reads_record
from tracker.models import RecordStatus
from tracker.presenters.record_markers import cohort_outcomes
from tracker.presenters.timeline import timeline_input, valid_in_order
from tracker.services.flags import flags_preview, rule_params

FINAL = RecordStatus.FINAL


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
            "evaluation": flags_preview(patient, data=charts_input.data),
            "treatments": valid_in_order(record["treatments"], "start_date"),
            "imaging": valid_in_order(record["imaging"], "study_date"),
            "panels": [p for p in panels if p["payload"]],
            "missing": [p for p in panels if not p["payload"]],
            "printed_on": timezone.localdate(),
        },
    )


@consultant_required
def cohort(request):
    """Every visible patient's VEGF against their own baseline, aligned at T0, and the clinic's
    progression-free and overall survival. Seven queries, whatever the number of patients."""
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
    survival = charts.survival_chart(cohort_outcomes(patients, timezone.localdate()))
    return render(
        request,
        "tracker/charts/cohort.html",
        {"chart": chart, "n_patients": len(patients), "survival": survival},
    )
