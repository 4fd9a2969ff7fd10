"""Daily reminder jobs, run by the application's scheduler (tracker/scheduler.py), no cron.

Each job is `job(*, today) -> dict of counts` and idempotent: every reminder or digest has a
unique key (kind, recipient, period) in ReminderLog, claimed under a row lock before sending,
so running a job twice, on two workers or after a restart sends each one exactly once. A send
that fails is marked failed and tried again on the next run.
"""

import datetime
import smtplib

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from tracker.models import Clinic, Patient, RecordStatus
from tracker.models.schedule import ReminderKind, ReminderLog, ReminderStatus
from tracker.roles import CLINICAL_ROLES
from tracker.services.due import due_rows
from tracker.services.portal import portal_reminder_candidates, portal_reminder_send, site_url_setting

DIGEST_DAYS_AHEAD = 7


def _send_once(*, key: str, kind: str, today: datetime.date, send, recipients: str, **owner) -> str:
    """Claim `key` and run `send()` unless it was sent already. Returns 'sent', 'already' or 'failed'."""
    ReminderLog.objects.get_or_create(
        key=key,
        defaults={"kind": kind, "status": ReminderStatus.FAILED, "detail": "not sent yet", "for_day": today, **owner},
    )
    with transaction.atomic():
        log = ReminderLog.objects.select_for_update().get(key=key)
        if log.status == ReminderStatus.SENT:
            return "already"
        try:
            send()
        except (smtplib.SMTPException, OSError) as exc:
            log.status, log.detail = ReminderStatus.FAILED, f"could not send: {exc}"
            log.save(update_fields=["status", "detail", "updated_at"])
            return "failed"
        log.status, log.detail, log.recipients, log.for_day = ReminderStatus.SENT, "", recipients, today
        log.save(update_fields=["status", "detail", "recipients", "for_day", "updated_at"])
    return "sent"


def self_report_reminders_job(*, today: datetime.date) -> dict:
    """Email each portal patient whose self-report is due, once per due period (the patient's
    own report interval), through the portal's reminder service."""
    counts = {"sent": 0, "already": 0, "failed": 0, "skipped": 0}
    site_url = site_url_setting()
    for candidate in portal_reminder_candidates(today=today):
        if not candidate.send:
            counts["skipped"] += 1
            continue
        patient = candidate.patient
        outcome = _send_once(
            key=f"self_report:{patient.pk}:{candidate.due_on.isoformat()}",
            kind=ReminderKind.SELF_REPORT,
            today=today,
            send=lambda c=candidate: portal_reminder_send(candidate=c, today=today, site_url=site_url),
            recipients=patient.user.email,
            patient=patient,
        )
        counts[outcome] += 1
    return counts


def clinic_digest_job(*, today: datetime.date) -> dict:
    """Email each clinic's staff and consultants the items overdue or due within a week, once a
    day per clinic. The email names patients by MRN only and links to the due list."""
    counts = {"sent": 0, "already": 0, "failed": 0, "skipped": 0}
    rows_by_clinic: dict[int, list] = {}
    for row in due_rows(Patient.objects.filter(status=RecordStatus.FINAL), as_of=today, within_days=DIGEST_DAYS_AHEAD):
        rows_by_clinic.setdefault(row.patient.clinic_id, []).append(row)
    staff = list(get_user_model().objects.filter(is_active=True, groups__name__in=CLINICAL_ROLES).exclude(email=""))
    due_url = site_url_setting().rstrip("/") + reverse("due_list")
    for clinic in Clinic.objects.filter(pk__in=rows_by_clinic).prefetch_related("members"):
        members = {u.pk for u in clinic.members.all()}
        emails = sorted({u.email for u in staff if u.pk in members})
        if not emails:
            counts["skipped"] += 1
            continue
        rows = rows_by_clinic[clinic.pk]
        context = {
            "clinic": clinic,
            "today": today,
            "overdue": [r for r in rows if r.entry.overdue_days],
            "upcoming": [r for r in rows if not r.entry.overdue_days],
            "due_url": due_url,
            "days": DIGEST_DAYS_AHEAD,
        }
        subject = f"POEMS follow-up {today.isoformat()}: {len(context['overdue'])} overdue, {len(context['upcoming'])} due this week"
        outcome = _send_once(
            key=f"digest:{clinic.pk}:{today.isoformat()}",
            kind=ReminderKind.DIGEST,
            today=today,
            send=lambda s=subject, c=context, e=emails: send_mail(
                subject=s, message=render_to_string("tracker/staff/email_digest.txt", c), from_email=None,
                recipient_list=e,
            ),
            recipients=", ".join(emails),
            clinic=clinic,
        )  # fmt: skip
        counts[outcome] += 1
    return counts
