"""A recorded death ends follow-up: off the due list and the digest, no reminder, the plan panel
says so, the worklist has nothing due; marking the death entered in error brings it all back."""

import datetime

from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory
from tests.schedule.conftest import add_frontline
from tracker.models import Patient, PatientPortal, WorklistEntry
from tracker.services.common import record_mark_entered_in_error
from tracker.services.due import due_rows
from tracker.services.portal.reminders import portal_reminder_candidates
from tracker.services.reminders import self_report_reminders_job
from tracker.services.whole_record import event_record

TODAY = datetime.date.today()


def _followed_long_ago(patient, actor):
    end = TODAY - datetime.timedelta(days=400)
    add_frontline(patient, actor, start=end - datetime.timedelta(days=120), end=end)


def _death(patient, actor):
    return event_record(
        patient=patient, actor=actor, event="death", onset_date=TODAY - datetime.timedelta(days=30), cause="sepsis"
    )


def test_a_death_takes_the_patient_off_the_due_list_until_it_is_entered_in_error(staff_user, patient, other_patient):
    _followed_long_ago(patient, staff_user)
    _followed_long_ago(other_patient, staff_user)
    everyone = Patient.objects.all()
    assert {row.patient.mrn for row in due_rows(everyone, as_of=TODAY)} == {"P001", "P002"}
    death = _death(patient, staff_user)
    assert {row.patient.mrn for row in due_rows(everyone, as_of=TODAY)} == {"P002"}
    assert WorklistEntry.objects.get(patient=patient).next_due_on is None
    assert WorklistEntry.objects.get(patient=other_patient).next_due_on is not None

    record_mark_entered_in_error(record=death, actor=staff_user, reason="wrong patient")
    assert {row.patient.mrn for row in due_rows(everyone, as_of=TODAY)} == {"P001", "P002"}
    assert WorklistEntry.objects.get(patient=patient).next_due_on is not None


def test_no_self_report_reminder_after_a_death(staff_user, patient):
    patient.user = UserFactory(username="p001", role="patient", email="p001@example.org")
    patient.report_interval_days = 28
    patient.save()
    PatientPortal.objects.create(patient=patient, invited_on=TODAY - datetime.timedelta(days=60))
    assert [c.send for c in portal_reminder_candidates(today=TODAY)] == [True]
    _death(patient, staff_user)
    [candidate] = portal_reminder_candidates(today=TODAY)
    assert candidate.skip_reason.startswith("death recorded on ")
    assert self_report_reminders_job(today=TODAY) == {"sent": 0, "already": 0, "failed": 0, "skipped": 1}
    assert mail.outbox == []


def test_plan_panel_says_follow_up_ended(consultant_client, staff_user, patient):
    _followed_long_ago(patient, staff_user)
    page = consultant_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "Follow-up ended" not in page and "overdue" in page
    _death(patient, staff_user)
    page = consultant_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "Follow-up ended: death recorded" in page
