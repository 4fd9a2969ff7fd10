"""send_reminders: who is due, at most one reminder per due period, no email -> skipped,
--dry-run sends nothing."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import PatientFactory, UserFactory
from tracker.models import PatientPortal
from tracker.services.portal import reminders as portal_services
from tracker.services.records import symptom_report_record

TODAY = datetime.date(2026, 6, 30)


def _portal_patient(clinic, mrn, *, email="", last_report_days_ago=None, reminded_days_ago=None, interval=28):
    patient = PatientFactory(clinic=clinic, mrn=mrn, report_interval_days=interval)
    user = UserFactory(username=mrn.lower(), role="patient", email=email)
    patient.user = user
    patient.save()
    PatientPortal.objects.create(
        patient=patient,
        invited_on=TODAY - datetime.timedelta(days=400),
        last_reminded_on=None if reminded_days_ago is None else TODAY - datetime.timedelta(days=reminded_days_ago),
    )
    if last_report_days_ago is not None:
        day = TODAY - datetime.timedelta(days=last_report_days_ago)
        symptom_report_record(patient=patient, actor=user, reported_on=day, source="patient", swelling=1)
    return patient


def _run(*args) -> str:
    out = StringIO()
    call_command(
        "send_reminders", "--today", TODAY.isoformat(), "--site-url", "https://poems.example.org", *args, stdout=out
    )
    return out.getvalue()


@pytest.fixture
def cohort(clinic):
    return {
        "due": _portal_patient(clinic, "DUE", email="due@example.org", last_report_days_ago=30),
        "exactly_due": _portal_patient(clinic, "EXACT", email="exact@example.org", last_report_days_ago=28),
        "not_due": _portal_patient(clinic, "FRESH", email="fresh@example.org", last_report_days_ago=27),
        "never": _portal_patient(clinic, "NEVER", email="never@example.org"),
        "reminded": _portal_patient(
            clinic, "REMINDED", email="reminded@example.org", last_report_days_ago=40, reminded_days_ago=5
        ),
        "no_email": _portal_patient(clinic, "NOMAIL", last_report_days_ago=60),
        "weekly": _portal_patient(clinic, "WEEKLY", email="weekly@example.org", last_report_days_ago=8, interval=7),
    }


def test_due_patients_are_emailed_once_and_the_day_recorded(cohort):
    out = _run()
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["due@example.org", "exact@example.org", "never@example.org", "weekly@example.org"]
    assert "skipped NOMAIL (nomail), due since" in out and "no email address" in out
    assert "reminders: emailed 4, skipped 1" in out
    for key in ("due", "exactly_due", "never", "weekly"):
        assert PatientPortal.objects.get(patient=cohort[key]).last_reminded_on == TODAY


def test_the_email_links_to_the_report_and_holds_no_clinical_data(cohort):
    _run()
    message = next(m for m in mail.outbox if m.to == ["due@example.org"])
    assert "https://poems.example.org/me/report/" in message.body
    assert "swelling" not in message.body.lower() and cohort["due"].mrn not in message.body


def test_a_second_run_the_same_period_sends_nothing(cohort):
    _run()
    mail.outbox.clear()
    out = _run()
    assert mail.outbox == []
    assert "reminders: emailed 0" in out


def test_a_patient_still_overdue_after_another_interval_is_reminded_again(clinic):
    patient = _portal_patient(clinic, "LATE", email="late@example.org", last_report_days_ago=70, reminded_days_ago=28)
    _run()
    assert [m.to for m in mail.outbox] == [["late@example.org"]]
    assert PatientPortal.objects.get(patient=patient).last_reminded_on == TODAY


def test_a_reminder_from_before_the_due_day_does_not_count(clinic):
    _portal_patient(clinic, "NEWPERIOD", email="np@example.org", last_report_days_ago=30, reminded_days_ago=31)
    _run()
    assert len(mail.outbox) == 1


def test_dry_run_lists_who_would_be_emailed_and_sends_nothing(cohort):
    out = _run("--dry-run")
    assert mail.outbox == []
    assert "would email DUE (due@example.org)" in out
    assert "would email NEVER (never@example.org)" in out
    assert "FRESH" not in out and "REMINDED" not in out
    assert "skipped NOMAIL" in out
    assert not PatientPortal.objects.filter(last_reminded_on=TODAY).exists()


def test_already_reminded_patients_are_listed_only_when_verbose(cohort):
    assert "REMINDED" in _run("--dry-run", "--verbosity", "2")


def test_patients_without_an_account_or_switched_off_are_ignored(clinic, cohort):
    PatientFactory(clinic=clinic, mrn="NOACCOUNT")
    cohort["due"].user.is_active = False
    cohort["due"].user.save()
    out = _run("--dry-run")
    assert "NOACCOUNT" not in out and "DUE" not in out


def test_a_patient_who_never_set_a_password_is_skipped_with_the_reason(cohort):
    user = cohort["never"].user
    user.set_unusable_password()
    user.save()
    out = _run()
    assert "skipped NEVER" in out and "has not set a password yet" in out
    assert ["never@example.org"] not in [m.to for m in mail.outbox]


def test_a_bad_date_is_a_clear_error(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", "30/06/2026")


def test_a_failed_email_is_reported_not_recorded_and_the_rest_still_go(cohort, monkeypatch):
    real = portal_services.send_mail

    def flaky(*, recipient_list, **kwargs):
        if recipient_list == ["due@example.org"]:
            raise ConnectionRefusedError("mail server down")
        return real(recipient_list=recipient_list, **kwargs)

    monkeypatch.setattr(portal_services, "send_mail", flaky)
    with pytest.raises(CommandError, match="1 reminder"):
        _run()
    assert len(mail.outbox) == 3
    assert PatientPortal.objects.get(patient=cohort["due"]).last_reminded_on is None
