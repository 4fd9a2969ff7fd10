"""Patients' own symptom reports: submitting one, clinicians reviewing it, and when the next
one is due."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tracker.models import Patient, RecordStatus, SymptomReport, SymptomSource
from tracker.rules.schedule import report_due_on  # noqa: F401 (re-exported by the portal package)
from tracker.services.common import save_validated
from tracker.services.records import symptom_report_record


@transaction.atomic
def portal_report_submit(
    *, patient: Patient, actor, reported_on: datetime.date | None = None, **fields
) -> SymptomReport:
    """Save the patient's own report for today: a second one that day updates the first (its
    prior version kept in history) and re-evaluates the flags (R6, R7).

    A report the clinic team entered for the same day is never overwritten from the portal:
    patients cannot edit clinician scores.
    """
    reported_on = reported_on or timezone.localdate()
    clinic_report = (
        SymptomReport.objects.valid()
        .filter(patient=patient, reported_on=reported_on)
        .exclude(source=SymptomSource.PATIENT)
        .exists()
    )
    if clinic_report:
        raise ValidationError(
            "Your clinic team has already recorded your symptoms today. "
            "If something has changed, please tell them directly."
        )
    return symptom_report_record(
        patient=patient,
        actor=actor,
        reported_on=reported_on,
        source=SymptomSource.PATIENT,
        replace_same_day=True,
        **fields,
    )


@transaction.atomic
def symptom_report_mark_reviewed(*, report: SymptomReport, actor) -> SymptomReport:
    """Record that a clinician has looked at a patient's self-report; the change is kept in
    the report's history. Marking a reviewed report again changes nothing."""
    if report.status != RecordStatus.FINAL:
        raise ValidationError("A report marked entered in error cannot be reviewed.")
    if report.source != SymptomSource.PATIENT:
        raise ValidationError("Only patient-reported symptoms need review.")
    if report.reviewed_at is not None:
        return report
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    save_validated(report, actor=actor)
    return report


def report_start_on(*, portal, user) -> datetime.date:
    """The day a patient's reporting starts: the day of their latest invitation, else the day
    their account was made. The one definition used by the portal, the staff panel and the
    reminders."""
    return (portal is not None and portal.invited_on) or timezone.localdate(user.date_joined)
