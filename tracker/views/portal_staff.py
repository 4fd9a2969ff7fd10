"""Staff-side portal pieces on the patient page: invitations, what the patient may see, and
review of patient-reported symptoms. Every view starts with `clinical_required` and fetches the
patient through the access helper, so another clinic's patient is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tracker.access import capability_required, clinical_required, get_patient_for, patients_visible_to
from tracker.forms.portal import PortalInviteForm, ReleasedAnalytesForm
from tracker.record_types import BY_KIND
from tracker.roles import ACKNOWLEDGE
from tracker.services.labs import lab_result_mark_reviewed
from tracker.services.portal import (
    INVITE_VALID_DAYS,
    portal_invite,
    portal_link_resend,
    portal_released_analytes_set,
    symptom_report_mark_reviewed,
)


def _back(patient) -> str:
    return reverse("patient_detail", kwargs={"pk": patient.pk}) + "#portal"


def _refuse(request, patient, errors) -> object:
    """Back to the panel with the problems as messages (the panel has no page of its own)."""
    for message in errors:
        messages.error(request, message)
    return redirect(_back(patient))


def _issued(patient, link, *, first: bool) -> dict:
    return {"patient": patient, "link": link, "first": first, "valid_days": INVITE_VALID_DAYS}


def _form_errors(form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]


@clinical_required
@require_POST
@never_cache
def portal_invite_view(request, pk):
    patient = get_patient_for(request.user, pk)
    form = PortalInviteForm(request.POST)
    if not form.is_valid():
        return _refuse(request, patient, _form_errors(form))
    try:
        link = portal_invite(
            patient=patient,
            email=form.cleaned_data["email"],
            actor=request.user,
            site_url=request.build_absolute_uri("/"),
        )
    except ValidationError as exc:
        return _refuse(request, patient, exc.messages)
    return render(request, "tracker/portal/link_issued.html", _issued(patient, link, first=True))


@clinical_required
@require_POST
@never_cache
def portal_link_resend_view(request, pk):
    patient = get_patient_for(request.user, pk)
    try:
        link = portal_link_resend(patient=patient, actor=request.user, site_url=request.build_absolute_uri("/"))
    except ValidationError as exc:
        return _refuse(request, patient, exc.messages)
    return render(request, "tracker/portal/link_issued.html", _issued(patient, link, first=False))


@clinical_required
@require_POST
def portal_release_view(request, pk):
    patient = get_patient_for(request.user, pk)
    form = ReleasedAnalytesForm(request.POST)
    if not form.is_valid():
        return _refuse(request, patient, _form_errors(form))
    try:
        portal = portal_released_analytes_set(
            patient=patient, actor=request.user, analytes=form.cleaned_data["analytes"]
        )
    except ValidationError as exc:
        return _refuse(request, patient, exc.messages)
    count = len(portal.released_analytes)
    shown = f"{count} kind{'s' if count != 1 else ''} of lab result" if count else "no lab results"
    messages.success(request, f"Saved: the patient now sees {shown} on their page.")
    return redirect(_back(patient))


def _mark_reviewed(request, kind: str, pk: int, mark, saved: str):
    """Mark a visible record of `kind` reviewed with `mark(record)`; back to its patient-page row."""
    record = get_object_or_404(BY_KIND[kind].model.objects.filter(patient__in=patients_visible_to(request.user)), pk=pk)
    try:
        mark(record)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, saved.format(record=record))
    row = BY_KIND[kind].row_anchor or kind
    return redirect(reverse("patient_detail", kwargs={"pk": record.patient_id}) + f"#{row}-{record.pk}")


@clinical_required
@require_POST
def symptom_mark_reviewed_view(request, pk):
    return _mark_reviewed(
        request,
        "symptoms",
        pk,
        lambda report: symptom_report_mark_reviewed(report=report, actor=request.user),
        "Marked the patient's report of {record.reported_on:%Y-%m-%d} as reviewed.",
    )


@capability_required(ACKNOWLEDGE)
@require_POST
def lab_mark_reviewed_view(request, pk):
    """A consultant marks a lab result reviewed; the portal then shows it even if abnormal."""
    return _mark_reviewed(
        request,
        "lab",
        pk,
        lambda result: lab_result_mark_reviewed(result=result, actor=request.user),
        "Marked {record.label} of {record.collected_on:%Y-%m-%d} as reviewed.",
    )
