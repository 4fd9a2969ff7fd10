"""/me/: greeting, whether a report is due, the last report and the patient's own trends."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from tracker.models import PatientPortal
from tracker.presenters.portal import scale_heights, weight_heights
from tracker.services.records import symptom_report_record

URL = reverse("portal_home")


def _report(patient, actor, days_ago, **fields):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return symptom_report_record(patient=patient, actor=actor, reported_on=day, source="patient", **fields)


def test_a_new_patient_is_asked_for_a_first_report(patient_client):
    response = patient_client.get(URL)
    assert response.context["due"]["is_due"] and response.context["due"]["never"]
    text = response.content.decode()
    assert "Your first symptom report is due" in text
    assert reverse("portal_report") in text


def test_a_report_is_due_when_none_was_sent_within_the_interval(patient_client, patient, patient_user):
    _report(patient, patient_user, 28, swelling=1)
    due = patient_client.get(URL).context["due"]
    assert due["is_due"] and due["due_on"] == timezone.localdate()


def test_a_report_is_not_due_within_the_interval(patient_client, patient, patient_user):
    _report(patient, patient_user, 27, swelling=1)
    response = patient_client.get(URL)
    assert not response.context["due"]["is_due"]
    assert "Your next report is due on" in response.content.decode()
    assert "every 4 weeks" in response.content.decode()


def test_the_interval_is_the_patients_own(patient_client, patient, patient_user):
    patient.report_interval_days = 14
    patient.save()
    _report(patient, patient_user, 15, swelling=1)
    assert patient_client.get(URL).context["due"]["is_due"]


def test_after_reporting_today_the_patient_is_thanked(patient_client, patient, patient_user):
    _report(patient, patient_user, 0, swelling=1)
    text = patient_client.get(URL).content.decode()
    assert "Thank you, you sent a report today" in text and "Change today" in text


def test_the_last_report_and_trends_are_shown_with_explanations(patient_client, patient, patient_user):
    _report(patient, patient_user, 60, swelling=1, fatigue=3, weight_kg=Decimal("70.0"))
    _report(patient, patient_user, 30, swelling=4, fatigue=3, weight_kg=Decimal("72.4"), other_symptoms="knee sore")
    response = patient_client.get(URL)
    trends = {t["item"].code: t for t in response.context["trends"]}
    assert [p["value"] for p in trends["swelling"]["points"]] == [1, 4]
    assert trends["swelling"]["change"].startswith("Up 3 since")
    assert trends["fatigue"]["change"].startswith("Same as on")
    assert trends["weight_kg"]["change"].startswith("Up 2.4 kg since")
    assert trends["weakness"]["points"] == []
    text = response.content.decode()
    assert "holding on to fluid" in text  # plain-language explanation of swelling and weight
    assert "You also wrote:</strong> knee sore" in text
    assert "No answers yet." in text


def test_bar_heights_keep_zero_visible_and_weight_relative():
    assert scale_heights([0, 5, 10]) == [4, 50, 100]
    assert weight_heights([Decimal(70), Decimal(75), Decimal(80)]) == [20, 60, 100]
    assert weight_heights([Decimal(70), Decimal(70)]) == [60, 60]


def test_the_home_page_costs_a_fixed_number_of_queries(
    patient_client, patient, patient_user, django_assert_num_queries
):
    """Session, user, role, patient, reports, portal settings, shared results, the planned tests
    (the rule inputs' seven series, bone marrow among them, and the plan changes), and the
    session write that restarts the idle timeout (with its savepoint): the same for any
    history length."""
    for days_ago in (360, 300, 240, 180, 120, 90, 60, 30, 10):
        _report(patient, patient_user, days_ago, swelling=1, weight_kg=Decimal("70"))
    PatientPortal.objects.create(patient=patient, released_analytes=["platelets"])
    patient_client.get(URL)
    with django_assert_num_queries(18):
        assert patient_client.get(URL).status_code == 200
