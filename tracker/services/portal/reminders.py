"""Reminder emails to portal patients whose symptom report is due."""

import datetime
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse

from tracker.models import ClinicalEvent, Patient, RecordStatus
from tracker.rules.outcomes import DEATH
from tracker.services.portal.preferences import portal_settings_for, portal_settings_save
from tracker.services.portal.self_reports import report_due_on, report_start_on


@dataclass(frozen=True)
class ReminderCandidate:
    """A portal patient whose report is due today, and whether (and why not) to email them."""

    patient: Patient
    due_on: datetime.date
    skip_reason: str

    @property
    def send(self) -> bool:
        return not self.skip_reason


def portal_reminder_candidates(*, today: datetime.date) -> list[ReminderCandidate]:
    """Every active portal patient whose report is due on `today`, each with a skip reason
    (empty: email them). At most one reminder per due period: a patient already reminded on
    or after the due day is not reminded again until another interval has passed; a patient
    whose death is recorded is never reminded. One query.
    """
    deaths = ClinicalEvent.objects.filter(patient=OuterRef("pk"), event=DEATH, status=RecordStatus.FINAL)
    patients = (
        Patient.objects.filter(status=RecordStatus.FINAL, user__isnull=False, user__is_active=True)
        .select_related("user", "portal")
        .annotate(
            last_report_on=Max("symptom_reports__reported_on", filter=Q(symptom_reports__status=RecordStatus.FINAL)),
            died_on=Subquery(deaths.order_by("onset_date").values("onset_date")[:1]),
        )
        .order_by("mrn")
    )
    candidates = []
    for patient in patients:
        portal = getattr(patient, "portal", None)
        start_on = report_start_on(portal=portal, user=patient.user)
        due_on = report_due_on(
            last_report_on=patient.last_report_on, interval_days=patient.report_interval_days, start_on=start_on
        )
        if due_on > today:
            continue
        reminded = portal.last_reminded_on if portal else None
        if patient.died_on is not None:
            reason = f"death recorded on {patient.died_on.isoformat()}"
        elif reminded and reminded >= due_on and (today - reminded).days < patient.report_interval_days:
            reason = f"already reminded on {reminded.isoformat()}"
        elif not patient.user.email:
            reason = "no email address"
        elif not patient.user.has_usable_password():
            reason = "has not set a password yet (send a new link from the patient page)"
        else:
            reason = ""
        candidates.append(ReminderCandidate(patient=patient, due_on=due_on, skip_reason=reason))
    return candidates


def portal_reminder_send(*, candidate: ReminderCandidate, today: datetime.date, site_url: str) -> None:
    """Email one reminder and record the day, so the next run does not repeat it. The email
    carries no clinical data: only a greeting and a link to sign in."""
    patient = candidate.patient
    base = site_url.rstrip("/")
    context = {"patient": patient, "report_url": base + reverse("portal_report"), "site_url": base}
    send_mail(
        subject="Time for your symptom report",
        message=render_to_string("tracker/portal/email_reminder.txt", context),
        from_email=None,
        recipient_list=[patient.user.email],
    )
    with transaction.atomic():
        portal_settings_save(portal_settings_for(patient), actor=None, last_reminded_on=today)
