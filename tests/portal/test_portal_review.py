"""Staff mark patient-reported symptoms reviewed, and choose which results a patient sees."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.record_kinds import record_model
from tracker.models import PatientPortal
from tracker.services.common import record_mark_entered_in_error
from tracker.services.portal import symptom_report_mark_reviewed
from tracker.services.records import symptom_report_record

DAY = datetime.date(2026, 4, 1)


@pytest.fixture
def patient_report(patient, patient_user):
    return symptom_report_record(patient=patient, actor=patient_user, reported_on=DAY, source="patient", swelling=2)


def _mark(client, report):
    return client.post(reverse("symptom_mark_reviewed", kwargs={"pk": report.pk}))


def test_the_patient_page_marks_patient_reports_and_offers_review(staff_client, patient, patient_report):
    page = staff_client.get(reverse("patient_detail", kwargs={"pk": patient.pk})).content.decode()
    assert "Patient-reported" in page
    assert reverse("symptom_mark_reviewed", kwargs={"pk": patient_report.pk}) in page


def test_staff_mark_a_report_reviewed_and_history_keeps_it(staff_client, staff_user, patient, patient_report):
    response = _mark(staff_client, patient_report)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#symptoms-{patient_report.pk}")
    patient_report.refresh_from_db()
    assert patient_report.reviewed_by == staff_user and patient_report.reviewed_at is not None
    latest, previous = patient_report.history.order_by("-history_date")[:2]
    assert latest.reviewed_by_id == staff_user.pk and latest.history_user_id == staff_user.pk
    assert previous.reviewed_at is None
    page = staff_client.get(reverse("patient_detail", kwargs={"pk": patient.pk})).content.decode()
    assert "reviewed by nurse" in page
    assert reverse("symptom_mark_reviewed", kwargs={"pk": patient_report.pk}) not in page


def test_marking_twice_changes_nothing(staff_client, patient_report):
    _mark(staff_client, patient_report)
    versions = patient_report.history.count()
    _mark(staff_client, patient_report)
    assert patient_report.history.count() == versions


def test_a_new_report_the_same_day_needs_review_again(staff_client, patient, patient_user, patient_report):
    _mark(staff_client, patient_report)
    symptom_report_record(
        patient=patient, actor=patient_user, reported_on=DAY, source="patient", swelling=6, replace_same_day=True
    )
    patient_report.refresh_from_db()
    assert patient_report.reviewed_at is None


def test_only_patient_reports_that_count_can_be_reviewed(staff_user, patient, patient_report):
    staff_entered = symptom_report_record(
        patient=patient, actor=staff_user, reported_on=DAY + datetime.timedelta(days=1), swelling=1
    )
    with pytest.raises(ValidationError, match="Only patient-reported"):
        symptom_report_mark_reviewed(report=staff_entered, actor=staff_user)
    record_mark_entered_in_error(record=patient_report, actor=staff_user, reason="wrong patient")
    with pytest.raises(ValidationError, match="entered in error"):
        symptom_report_mark_reviewed(report=patient_report, actor=staff_user)


def test_review_is_refused_to_patients_and_other_clinics(client, patient_user, outsider_staff, patient_report):
    client.force_login(patient_user)
    assert _mark(client, patient_report).status_code == 403
    client.force_login(outsider_staff)
    assert _mark(client, patient_report).status_code == 404
    patient_report.refresh_from_db()
    assert patient_report.reviewed_at is None


def test_review_needs_a_post(staff_client, patient_report):
    assert staff_client.get(reverse("symptom_mark_reviewed", kwargs={"pk": patient_report.pk})).status_code == 405


def test_the_panel_counts_unreviewed_reports(staff_client, patient, patient_user, patient_report):
    page = staff_client.get(reverse("patient_detail", kwargs={"pk": patient.pk})).content.decode()
    assert "1 patient report not yet reviewed" in page


# --- which results the patient sees -------------------------------------------------------------


def test_staff_choose_released_results_in_catalogue_order(staff_client, patient):
    url = reverse("portal_release", kwargs={"pk": patient.pk})
    response = staff_client.post(url, {"analytes": ["platelets", "vegf"]})
    assert response.status_code == 302
    portal = PatientPortal.objects.get(patient=patient)
    assert portal.released_analytes == ["vegf", "platelets"]
    assert portal.history.count() == 1
    staff_client.post(url, {})
    portal.refresh_from_db()
    assert portal.released_analytes == [] and portal.history.count() == 2


def test_an_unknown_analyte_is_refused(staff_client, patient):
    staff_client.post(reverse("portal_release", kwargs={"pk": patient.pk}), {"analytes": ["unobtainium"]})
    assert not PatientPortal.objects.filter(patient=patient).exists()


def test_release_is_refused_to_patients_and_other_clinics(client, patient_user, outsider_staff, patient):
    url = reverse("portal_release", kwargs={"pk": patient.pk})
    client.force_login(patient_user)
    assert client.post(url, {"analytes": ["vegf"]}).status_code == 403
    client.force_login(outsider_staff)
    assert client.post(url, {"analytes": ["vegf"]}).status_code == 404
    assert not PatientPortal.objects.exists()
    assert record_model("symptoms").objects.count() == 0
