"""Daily jobs: patient self-report reminders and clinic digests, each sent exactly once."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PatientFactory, UserFactory
from tests.schedule.conftest import add_frontline
from tracker.models import PatientPortal
from tracker.models.schedule import ReminderLog, ReminderStatus
from tracker.roles import STAFF
from tracker.scheduler import DAILY_JOBS
from tracker.services.reminders import clinic_digest_job, self_report_reminders_job

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture
def portal_patient(clinic):
    patient = PatientFactory(clinic=clinic, mrn="R001", report_interval_days=28)
    patient.user = UserFactory(username="r001", role="patient", email="r001@example.org")
    patient.save()
    PatientPortal.objects.create(patient=patient, invited_on=TODAY - datetime.timedelta(days=60))
    return patient


def test_self_report_reminder_is_sent_exactly_once_across_two_runs(portal_patient):
    assert self_report_reminders_job(today=TODAY)["sent"] == 1
    assert self_report_reminders_job(today=TODAY)["sent"] == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["r001@example.org"]
    log = ReminderLog.objects.get()
    assert (log.kind, log.status, log.patient, log.for_day) == ("self_report", "sent", portal_patient, TODAY)


def test_a_claimed_but_unsent_reminder_is_not_sent_twice_after_a_restart(portal_patient):
    self_report_reminders_job(today=TODAY)
    # A restart that forgot the portal's own record of the day still finds the sent key.
    PatientPortal.objects.filter(patient=portal_patient).update(last_reminded_on=None)
    assert self_report_reminders_job(today=TODAY)["already"] == 1
    assert len(mail.outbox) == 1


def test_failed_send_is_recorded_and_tried_again(portal_patient, settings):
    settings.EMAIL_BACKEND = "tests.schedule.failing_email.Backend"
    assert self_report_reminders_job(today=TODAY)["failed"] == 1
    assert ReminderLog.objects.get().status == ReminderStatus.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert self_report_reminders_job(today=TODAY)["sent"] == 1
    assert ReminderLog.objects.get().status == ReminderStatus.SENT


@pytest.fixture
def due_clinic(clinic, staff_user, consultant_user):
    staff_user.email = "nurse@example.org"
    staff_user.save()
    add_frontline(PatientFactory(clinic=clinic, mrn="D001"), staff_user)
    return clinic


def test_clinic_digest_goes_once_a_day_to_the_clinic_staff(due_clinic, outsider_staff):
    outsider_staff.email = "elsewhere@example.org"
    outsider_staff.save()
    assert clinic_digest_job(today=TODAY)["sent"] == 1
    assert clinic_digest_job(today=TODAY) == {"sent": 0, "already": 1, "failed": 0, "skipped": 0}
    [email] = mail.outbox
    assert email.to == ["nurse@example.org"]
    assert "D001" in email.body and "Full blood count" in email.body and "overdue" in email.subject
    assert clinic_digest_job(today=TODAY + datetime.timedelta(days=1))["sent"] == 1


def test_jobs_are_registered_for_the_scheduler():
    assert DAILY_JOBS["self_report_reminders"] == "tracker.services.reminders.self_report_reminders_job"
    assert DAILY_JOBS["clinic_due_digest"] == "tracker.services.reminders.clinic_digest_job"


def test_staff_see_what_was_sent(client, due_clinic, staff_user, other_clinic):
    clinic_digest_job(today=TODAY)
    client.force_login(staff_user)
    text = client.get(reverse("reminder_log")).content.decode()
    assert "Daily digest to clinic staff" in text and "nurse@example.org" in text
    client.force_login(UserFactory(username="far", role=STAFF, clinics=[other_clinic]))
    assert "nurse@example.org" not in client.get(reverse("reminder_log")).content.decode()
