"""Staff pages for patients: search, register, edit, the patient page and the checklist."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from tracker import charts, selectors
from tracker.access import clinical_required, get_patient_for, patients_visible_to
from tracker.accounts.audit import patient_reads_record
from tracker.accounts.views_audit import patient_reads_context
from tracker.forms.base import apply_errors, stale_refused, with_version
from tracker.forms.staff import ChecklistForm, PatientForm
from tracker.presenters.plan import plan_panel_context
from tracker.presenters.portal import portal_panel_context
from tracker.presenters.record_markers import patient_outcomes
from tracker.presenters.timeline import timeline_input
from tracker.selectors.patients import search_can_be_close
from tracker.services.flags import flags_preview
from tracker.services.patients import (
    DEMO_RETIRED_MESSAGE,
    checklist_save,
    demo_accounts_active,
    patient_create,
    patient_update,
)

SEARCH_LIMIT = 100
# The record tables show the newest rows; "show all" lists everything (the charts' number
# tables always hold every value). Ten years of monthly labs would otherwise be 1,000 rows.
TABLE_ROWS = 40
LONG_TABLES = ("labs", "visits", "symptoms")


@clinical_required
def patient_list(request):
    query = request.GET.get("q", "").strip()
    visible = patients_visible_to(request.user)
    patients = list(selectors.patient_search(visible, query)[: SEARCH_LIMIT + 1])
    close = not patients and search_can_be_close(query)
    if close:
        patients = list(selectors.patient_search(visible, query, close=True)[: SEARCH_LIMIT + 1])
    patient_reads_record(user=request.user, patients=patients[:SEARCH_LIMIT], what="search")
    return render(
        request,
        "tracker/staff/patient_list.html",
        {
            "query": query,
            "patients": patients[:SEARCH_LIMIT],
            "truncated": len(patients) > SEARCH_LIMIT,
            "close": close,
            "date_example": "17/05/1970" if settings.POEMS_DATE_ORDER == "DMY" else "05/17/1970",
        },
    )


@clinical_required
def patient_create_view(request):
    form = PatientForm(request.POST or None, clinics=request.user.clinics.all())
    if request.method == "POST" and form.is_valid():
        try:
            patient = patient_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _registered(request, patient)
    demo = demo_accounts_active()
    notice = (
        f"Demo accounts are switched on ({', '.join(demo)}). Registering a real patient switches them "
        "off for good, including the one you are signed in with if it is a demo account: you will be "
        "signed out and need your own account to sign in again. The demo patients stay."
        if demo
        else ""
    )
    return render(request, "tracker/staff/form.html", {"form": form, "title": "Register a patient", "notice": notice})


def _registered(request, patient):
    """After registering: the patient's page, or, when that switched off the demo account in use,
    the sign-in page saying why (the account can no longer open any page)."""
    message = f"Registered {patient.full_name} ({patient.mrn})."
    request.user.refresh_from_db(fields=["is_active"])
    if not request.user.is_active:
        logout(request)
        messages.success(request, f"{message} {DEMO_RETIRED_MESSAGE}")
        return redirect("login")
    messages.success(request, message)
    return redirect("patient_detail", pk=patient.pk)


@clinical_required
def patient_edit(request, pk):
    patient = get_patient_for(request.user, pk)
    form = PatientForm(request.POST or None, instance=patient, clinics=request.user.clinics.all())
    with_version(form, patient)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            patient_update(patient=patient, actor=request.user, expected_version=data.pop("version"), **data)
        except ValidationError as exc:
            stale_refused(form, exc, patient)
        else:
            messages.success(request, "Patient details saved.")
            return redirect("patient_detail", pk=patient.pk)
    return render(request, "tracker/staff/form.html", {"form": form, "title": f"Edit {patient}", "patient": patient})


@clinical_required
def patient_detail(request, pk):
    patient = get_patient_for(request.user, pk)
    patient_reads_record(user=request.user, patients=[patient], what="patient page")
    record = selectors.patient_record(patient)
    charts_input = timeline_input(patient, record)
    # The rules run on the series the page already loaded: no second trip to the database.
    evaluation = flags_preview(patient, data=charts_input.data)
    portal = portal_panel_context(patient)
    show_all = request.GET.get("rows") == "all"
    shown = {name: record[name] if show_all else record[name][:TABLE_ROWS] for name in LONG_TABLES}
    return render(
        request,
        "tracker/staff/patient_detail.html",
        {
            "patient": patient,
            "evaluation": evaluation,
            **record,
            "shown": shown,
            "outcomes": patient_outcomes(record),
            "timeline": charts.timeline_panels(charts_input),
            **portal,
            **plan_panel_context(
                patient, charts_input.data, user=request.user, portal=portal["portal_panel"]["portal"]
            ),
            **patient_reads_context(patient, request),
        },
    )


@clinical_required
def checklist_edit(request, pk):
    patient = get_patient_for(request.user, pk)
    checklist = getattr(patient, "checklist", None)
    form = with_version(ChecklistForm(request.POST or None, instance=checklist), checklist)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            checklist_save(patient=patient, actor=request.user, expected_version=data.pop("version", None), **data)
        except ValidationError as exc:
            stale_refused(form, exc, checklist)
        else:
            messages.success(request, "Diagnostic checklist saved.")
            return redirect("patient_detail", pk=patient.pk)
    return render(
        request,
        "tracker/staff/checklist_form.html",
        {"form": form, "title": "Diagnostic checklist", "patient": patient, "checklist": checklist},
    )
