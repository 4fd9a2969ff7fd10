"""The patient's own pages. No patient ID ever comes from the URL: every page starts from
`own_patient(request.user)`, so a patient can only ever reach their own record.

What a patient sees: their own symptom reports (numbers; free text only where they wrote it),
and lab results of the tests their clinic chose to share. Never flags, staff notes or anything
of another patient. The views compute every number the templates show (bar heights, changes),
so the templates only loop.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import dateformat, timezone

from tracker.access import own_patient, patient_required, role_of
from tracker.due import portal_plan
from tracker.forms.base import apply_errors
from tracker.forms.portal import PORTAL_ITEMS, WEIGHT_ITEM, SymptomSelfReportForm
from tracker.models import LabResult, SymptomReport, SymptomSource
from tracker.roles import PATIENT
from tracker.rules.schedule import report_due_on
from tracker.services.portal import (
    INVITE_VALID_DAYS,
    invite_token_generator,
    portal_report_submit,
    portal_settings_for,
)

TREND_REPORTS = 8
RESULTS_PER_TEST = 5

LAB_ABOUT = {
    "vegf": "VEGF is a protein in the blood that is usually high in POEMS syndrome. "
    "Your team uses it to see how the condition responds to treatment.",
    "platelets": "Platelets help the blood to clot. Their number can go up when POEMS syndrome is active.",
    "hemoglobin": "Haemoglobin carries oxygen in your red blood cells.",
    "hematocrit": "The share of your blood made up of red blood cells.",
    "wbc": "White blood cells fight infection.",
    "m_protein": "The abnormal protein made by the plasma cells that cause POEMS syndrome. "
    "A smaller amount usually means treatment is working.",
    "ife": "A test that shows whether the abnormal protein can still be found in your blood or urine.",
    "flc_kappa": "Light chains are small pieces of antibody proteins. Your team compares the two kinds.",
    "flc_lambda": "Light chains are small pieces of antibody proteins. Your team compares the two kinds.",
    "flc_ratio": "The balance between the two kinds of light chains.",
    "creatinine": "A measure of how well your kidneys are working.",
    "egfr": "An estimate of how well your kidneys filter the blood; higher is better.",
    "albumin": "A protein made by the liver that helps keep fluid inside the blood vessels.",
    "calcium": "A mineral in the blood, important for bones, nerves and muscles.",
    "tsh": "A hormone that shows how your thyroid gland is working.",
    "free_t4": "The main thyroid hormone.",
    "testosterone_total": "A hormone that POEMS syndrome can lower.",
    "prolactin": "A hormone from the pituitary gland, which POEMS syndrome can affect.",
    "cortisol": "A hormone from the adrenal glands, which POEMS syndrome can affect.",
    "glucose_fasting": "Your blood sugar after not eating for several hours.",
    "hba1c": "Your average blood sugar over the past two to three months.",
}


def _due(patient, last_report: SymptomReport | None, portal, *, joined, today: datetime.date) -> dict:
    start_on = portal.invited_on or timezone.localdate(joined)
    due_on = report_due_on(
        last_report_on=last_report.reported_on if last_report else None,
        interval_days=patient.report_interval_days,
        start_on=start_on,
    )
    return {
        "is_due": due_on <= today,
        "due_on": due_on,
        "never": last_report is None,
        "reported_today": last_report is not None and last_report.reported_on == today,
        "interval_weeks": patient.report_interval_days // 7 if patient.report_interval_days % 7 == 0 else None,
        "interval_days": patient.report_interval_days,
    }


def _last_report(report: SymptomReport) -> dict:
    return {
        "report": report,
        "by_clinic": report.source != SymptomSource.PATIENT,
        "items": [(item, getattr(report, item.code)) for item in PORTAL_ITEMS],
        # Free text written by clinic staff may hold their notes; patients see only their own.
        "other": report.other_symptoms if report.source == SymptomSource.PATIENT else "",
    }


def _change(points: list[dict], unit: str = "") -> str:
    """'Up 2 since 3 March', 'Down 0.8 kg since 3 March' or 'Same as on 3 March'."""
    if len(points) < 2:
        return ""
    diff = points[-1]["value"] - points[-2]["value"]
    day = dateformat.format(points[-2]["day"], "j F")
    if diff == 0:
        return f"Same as on {day}"
    amount = f"{abs(diff):.1f}{unit}" if unit else str(abs(diff))
    return f"{'Up' if diff > 0 else 'Down'} {amount} since {day}"


def _trend(item, reports, heights) -> dict:
    points = [
        {"day": r.reported_on, "value": getattr(r, item.code)} for r in reports if getattr(r, item.code) is not None
    ]
    for point, height in zip(points, heights([p["value"] for p in points]), strict=True):
        point["height"] = height
    return {"item": item, "points": points, "latest": points[-1] if points else None}


def _scale_heights(values) -> list[int]:
    """0-10 scores as bar heights in percent; a 0 keeps a sliver so the bar is still seen."""
    return [max(4, int(v) * 10) for v in values]


def _weight_heights(values) -> list[int]:
    """Weights vary by a few kilograms: bars span the patient's own range, not 0-300 kg."""
    if not values:
        return []
    low, high = min(values), max(values)
    if high == low:
        return [60 for _ in values]
    return [int(20 + 80 * (v - low) / (high - low)) for v in values]


def _trends(reports_oldest_first: list[SymptomReport]) -> list[dict]:
    trends = [_trend(item, reports_oldest_first, _scale_heights) for item in PORTAL_ITEMS]
    for trend in trends:
        trend["change"] = _change(trend["points"])
    weight = _trend(WEIGHT_ITEM, reports_oldest_first, _weight_heights)
    weight["change"] = _change(weight["points"], " kg")
    weight["is_weight"] = True
    return [weight, *trends]


def _released_labs(patient, portal) -> list[dict]:
    """The shared tests, newest results first, in the order the clinic chose. One query."""
    released = list(portal.released_analytes or [])
    if not released:
        return []
    groups: dict[str, dict] = {}
    results = LabResult.objects.valid().filter(patient=patient, analyte__in=released)
    for result in results.order_by("-collected_on", "-id"):
        group = groups.setdefault(
            result.label, {"title": result.label, "about": LAB_ABOUT.get(result.analyte, ""), "rows": []}
        )
        group["order"] = released.index(result.analyte)
        if len(group["rows"]) < RESULTS_PER_TEST:
            flag = {"High": "Above the usual range", "Low": "Below the usual range"}.get(result.range_flag, "")
            group["rows"].append(
                {
                    "day": result.collected_on,
                    "value": result.display_value,
                    "range": result.display_reference,
                    "flag": flag,
                }
            )
    return sorted(groups.values(), key=lambda group: (group["order"], group["title"]))


@patient_required
def portal_home(request):
    patient = own_patient(request.user)
    today = timezone.localdate()
    reports = list(
        SymptomReport.objects.valid().filter(patient=patient).order_by("-reported_on", "-id")[:TREND_REPORTS]
    )
    portal = portal_settings_for(patient)
    last = reports[0] if reports else None
    context = {
        "patient": patient,
        "due": _due(patient, last, portal, joined=request.user.date_joined, today=today),
        "last": _last_report(last) if last else None,
        "trends": _trends(reports[::-1]),
        "report_count": len(reports),
        "labs": _released_labs(patient, portal),
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
    todays = (
        SymptomReport.objects.valid().filter(patient=patient, reported_on=today, source=SymptomSource.PATIENT).first()
    )
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
