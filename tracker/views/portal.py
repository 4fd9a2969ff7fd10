"""The patient's own pages. No patient ID ever comes from the URL: every page starts from
`own_patient(request.user)`, so a patient can only ever reach their own record.

What a patient sees: their own symptom reports (numbers; free text only where they wrote it),
and lab results of the tests their clinic chose to share. Never flags, staff notes or anything
of another patient. `tracker.presenters.portal` computes every number the templates show (bar
heights, changes), so the templates only loop.
"""

from django.contrib import messages
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import dateformat, timezone

from tracker.access import own_patient, patient_required, role_of
from tracker.forms.base import apply_errors
from tracker.forms.portal import PORTAL_ITEMS, SymptomSelfReportForm
from tracker.models import SymptomSource
from tracker.presenters.portal import last_report, released_labs, report_due, trends
from tracker.roles import PATIENT
from tracker.services.due import portal_plan
from tracker.services.portal import (
    INVITE_VALID_DAYS,
    invite_token_generator,
    portal_report_submit,
    portal_settings_for,
)

TREND_REPORTS = 8


@patient_required
def portal_home(request):
    patient = own_patient(request.user)
    today = timezone.localdate()
    reports = list(patient.symptom_reports.valid().order_by("-reported_on", "-id")[:TREND_REPORTS])
    portal = portal_settings_for(patient)
    last = reports[0] if reports else None
    context = {
        "patient": patient,
        "due": report_due(patient, last, portal, user=request.user, today=today),
        "last": last_report(last) if last else None,
        "trends": trends(reports[::-1]),
        "report_count": len(reports),
        "labs": released_labs(patient, portal),
        "shares_labs": bool(portal.released_analytes),
        "planned": portal_plan(patient, user=request.user, portal=portal, today=today),
    }
    return render(request, "tracker/portal/home.html", context)


def _error_summary(form) -> list[dict]:
    """Errors in page order, each linking to its question (GOV.UK-style summary)."""
    titles = {item.code: item.title for item in PORTAL_ITEMS}
    titles.update(weight_kg="Weight", other_symptoms="Anything else")
    summary = [{"anchor": "report-form", "title": "", "message": m} for m in form.non_field_errors()]
    for name in form.fields:
        for message in form.errors.get(name, []):
            summary.append({"anchor": f"q-{name}", "title": titles[name], "message": message})
    return summary


@patient_required
def portal_report(request):
    patient = own_patient(request.user)
    today = timezone.localdate()
    todays = patient.symptom_reports.valid().filter(reported_on=today, source=SymptomSource.PATIENT).first()
    initial = {}
    if todays is not None:
        initial = {item.code: getattr(todays, item.code) for item in PORTAL_ITEMS}
        initial.update(weight_kg=todays.weight_kg or "", other_symptoms=todays.other_symptoms)
    form = SymptomSelfReportForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            portal_report_submit(patient=patient, actor=request.user, reported_on=today, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"Thank you. Your report for {dateformat.format(today, 'j F Y')} has been sent to your clinic team.",
            )
            return redirect("portal_home")
    context = {"form": form, "today": today, "updating": todays is not None, "errors": _error_summary(form)}
    return render(request, "tracker/portal/report.html", context, status=400 if form.errors else 200)


class PortalPasswordSetView(PasswordResetConfirmView):
    """The invitation link: a new patient chooses a password and is signed straight in.

    Django's confirm view does the careful parts (the token leaves the URL before the form is
    shown, so it never leaks in a Referer header); this adds the 7-day invitation token, a
    reason when the link fails, and refuses any account that is not a patient's.
    """

    token_generator = invite_token_generator
    template_name = "registration/password_set_form.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("portal_home")
    title = "Choose your password"

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and role_of(user) == PATIENT else None

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set. Welcome to your page.")
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["valid_days"] = INVITE_VALID_DAYS
        if not self.validlink:
            token = self.kwargs.get("token")
            if token == self.reset_url_token:
                token = self.request.session.get(INTERNAL_RESET_SESSION_TOKEN)
            context["problem"] = invite_token_generator.token_problem(self.user, token)
        return context
