"""What the portal pages and the staff portal panel show: every number the templates need
(bar heights, changes, when the next report is due), so the templates only loop."""

import datetime

from django.conf import settings
from django.utils import dateformat, timezone

from tracker.forms.portal import PORTAL_ITEMS, WEIGHT_ITEM, PortalInviteForm, ReleasedAnalytesForm
from tracker.models import SymptomSource
from tracker.services.portal import (
    INVITE_VALID_DAYS,
    portal_settings_for,
    report_due_on,
    report_start_on,
)

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


def report_due(patient, last_report, portal, *, user, today: datetime.date) -> dict:
    """When the patient's next report is due, in the words the portal home shows; `last_report`
    is their latest valid symptom report, or None."""
    start_on = report_start_on(portal=portal, user=user)
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


def last_report(report) -> dict:
    return {
        "report": report,
        "by_clinic": report.source != SymptomSource.PATIENT,
        "items": [(item, getattr(report, item.code)) for item in PORTAL_ITEMS],
        # Free text written by clinic staff may hold their notes; patients see only their own.
        "other": report.other_symptoms if report.source == SymptomSource.PATIENT else "",
    }


def change_words(points: list[dict], unit: str = "") -> str:
    """'Up 2 since 3 March', 'Down 0.8 kg since 3 March' or 'Same as on 3 March'."""
    if len(points) < 2:
        return ""
    diff = points[-1]["value"] - points[-2]["value"]
    day = dateformat.format(points[-2]["day"], "j F")
    if diff == 0:
        return f"Same as on {day}"
    amount = f"{abs(diff):.1f}{unit}" if unit else str(abs(diff))
    return f"{'Up' if diff > 0 else 'Down'} {amount} since {day}"


def trend(item, reports, heights) -> dict:
    points = [
        {"day": r.reported_on, "value": getattr(r, item.code)} for r in reports if getattr(r, item.code) is not None
    ]
    for point, height in zip(points, heights([p["value"] for p in points]), strict=True):
        point["height"] = height
    return {"item": item, "points": points, "latest": points[-1] if points else None}


def scale_heights(values) -> list[int]:
    """0-10 scores as bar heights in percent; a 0 keeps a sliver so the bar is still seen."""
    return [max(4, int(v) * 10) for v in values]


def weight_heights(values) -> list[int]:
    """Weights vary by a few kilograms: bars span the patient's own range, not 0-300 kg."""
    if not values:
        return []
    low, high = min(values), max(values)
    if high == low:
        return [60 for _ in values]
    return [int(20 + 80 * (v - low) / (high - low)) for v in values]


def trends(reports_oldest_first: list) -> list[dict]:
    """One trend per portal item of the symptom reports given, weight first."""
    rows = [trend(item, reports_oldest_first, scale_heights) for item in PORTAL_ITEMS]
    for item_trend in rows:
        item_trend["change"] = change_words(item_trend["points"])
    weight = trend(WEIGHT_ITEM, reports_oldest_first, weight_heights)
    weight["change"] = change_words(weight["points"], " kg")
    weight["is_weight"] = True
    return [weight, *rows]


def awaiting_review(result) -> bool:
    """Whether the portal holds a result back: abnormal and not yet reviewed by a clinician
    (a consultant marked it, or acknowledged a flag citing it), unless the deployment lets
    patients see such results first (`POEMS_PATIENT_SEES_UNREVIEWED_ABNORMAL`)."""
    if settings.POEMS_PATIENT_SEES_UNREVIEWED_ABNORMAL or result.reviewed_at is not None:
        return False
    return result.is_abnormal


def withheld_lab_keys(patient, released) -> set[tuple]:
    """(analyte, specimen, lab, collected_on) of the shared results the portal holds back, for
    the patient's own record download. One query."""
    results = patient.lab_results.valid().filter(analyte__in=list(released), reviewed_at__isnull=True)
    return {(r.analyte, r.specimen, r.lab, r.collected_on) for r in results if awaiting_review(r)}


def released_labs(patient, portal) -> list[dict]:
    """The shared tests, newest results first, in the order the clinic chose. One query."""
    released = list(portal.released_analytes or [])
    if not released:
        return []
    groups: dict[str, dict] = {}
    results = patient.lab_results.valid().filter(analyte__in=released)
    for result in results.order_by("-collected_on", "-id"):
        group = groups.setdefault(
            result.label, {"title": result.label, "about": LAB_ABOUT.get(result.analyte, ""), "rows": []}
        )
        group["order"] = released.index(result.analyte)
        if len(group["rows"]) < RESULTS_PER_TEST:
            if awaiting_review(result):
                group["rows"].append({"day": result.collected_on, "awaiting": True})
                continue
            flag = {"High": "Above the usual range", "Low": "Below the usual range"}.get(result.range_flag, "")
            group["rows"].append(
                {
                    "day": result.collected_on,
                    "value": result.display_value,
                    "range": result.plain_reference,
                    "flag": flag,
                }
            )
    return sorted(groups.values(), key=lambda group: (group["order"], group["title"]))


def portal_panel_context(patient) -> dict:
    """What the portal panel of the patient page shows. Four queries."""
    portal = portal_settings_for(patient)
    user = patient.user
    reports = patient.symptom_reports.valid()
    last_report_on = reports.order_by("-reported_on").values_list("reported_on", flat=True).first()
    panel = {"portal": portal, "user": user, "valid_days": INVITE_VALID_DAYS, "last_report_on": last_report_on}
    if user is not None:
        start_on = report_start_on(portal=portal, user=user)
        due_on = report_due_on(
            last_report_on=last_report_on, interval_days=patient.report_interval_days, start_on=start_on
        )
        panel.update(
            due_on=due_on,
            is_due=due_on <= timezone.localdate(),
            password_set=user.has_usable_password(),
            unreviewed=reports.filter(source=SymptomSource.PATIENT, reviewed_at__isnull=True).count(),
        )
    return {
        "portal_panel": panel,
        "portal_invite_form": PortalInviteForm(),
        "portal_release_form": ReleasedAnalytesForm(initial={"analytes": portal.released_analytes}),
    }
