"""A patient sees an abnormal shared result only after a clinician has reviewed it
(POEMS_PATIENT_SEES_UNREVIEWED_ABNORMAL, default false), and never the word "(default)"."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from tests.factories import ClinicFactory, UserFactory
from tracker.models import PatientPortal
from tracker.roles import CONSULTANT
from tracker.services.common import record_update
from tracker.services.labs import lab_result_mark_reviewed, lab_result_record

HOME = reverse("portal_home")
AWAITING = "Awaiting review: your clinic team will look at this result first"
DAY = datetime.date(2025, 3, 4)


@pytest.fixture
def shared(patient, staff_user):
    """Platelets shared on the portal: a high count (600, above the usual 150-400) and a normal one."""
    PatientPortal.objects.create(patient=patient, released_analytes=["platelets"])
    high = lab_result_record(patient=patient, actor=staff_user, analyte="platelets", collected_on=DAY, value="600")
    normal = lab_result_record(
        patient=patient,
        actor=staff_user,
        analyte="platelets",
        collected_on=DAY - datetime.timedelta(days=90),
        value="250",
    )
    return {"high": high, "normal": normal}


def test_an_unreviewed_abnormal_result_waits_for_review(patient_client, shared):
    page = patient_client.get(HOME).content.decode()
    assert AWAITING in page
    assert "600 ×10⁹/L" not in page and "Above the usual range" not in page
    assert "250 ×10⁹/L" in page  # a normal result needs no review


def test_after_review_the_patient_sees_the_result(patient_client, shared, consultant_user):
    lab_result_mark_reviewed(result=shared["high"], actor=consultant_user)
    page = patient_client.get(HOME).content.decode()
    assert AWAITING not in page
    assert "600 ×10⁹/L" in page and "Above the usual range" in page


def test_the_setting_lets_patients_see_results_before_review(patient_client, shared, settings):
    settings.POEMS_PATIENT_SEES_UNREVIEWED_ABNORMAL = True
    page = patient_client.get(HOME).content.decode()
    assert AWAITING not in page and "600 ×10⁹/L" in page


def test_the_portal_never_says_default(patient_client, shared, consultant_user):
    lab_result_mark_reviewed(result=shared["high"], actor=consultant_user)
    assert (
        shared["high"].display_reference == "150–400 ×10⁹/L (default)"
    )  # the staff page still says where it came from
    page = patient_client.get(HOME).content.decode()
    assert "150–400 ×10⁹/L" in page
    assert "(default)" not in page and "default" not in page.lower()


def test_the_record_download_holds_back_the_same_results(patient_client, shared, consultant_user):
    def values():
        rows = csv.DictReader(io.StringIO(patient_client.get(reverse("portal_record_csv")).content.decode()))
        return sorted(row["value"] for row in rows if row["what"] == "Platelets")

    assert values() == ["250"]
    lab_result_mark_reviewed(result=shared["high"], actor=consultant_user)
    assert values() == ["250", "600"]


def test_a_consultant_marks_a_result_reviewed_from_the_patient_page(consultant_client, shared, consultant_user):
    high = shared["high"]
    page = consultant_client.get(reverse("patient_detail", args=[high.patient_id])).content.decode()
    assert reverse("lab_mark_reviewed", args=[high.pk]) in page
    assert reverse("lab_mark_reviewed", args=[shared["normal"].pk]) not in page
    response = consultant_client.post(reverse("lab_mark_reviewed", args=[high.pk]))
    assert response.url.endswith(f"#lab-{high.pk}")
    high.refresh_from_db()
    assert high.reviewed_by == consultant_user and high.reviewed_at is not None
    last = high.history.order_by("-history_date").first()
    assert last.history_user == consultant_user and last.reviewed_by_id == consultant_user.pk


def test_staff_see_the_state_but_may_not_mark_review(staff_client, shared):
    high = shared["high"]
    page = staff_client.get(reverse("patient_detail", args=[high.patient_id])).content.decode()
    assert "Not yet reviewed by a consultant" in page
    assert staff_client.post(reverse("lab_mark_reviewed", args=[high.pk])).status_code == 403
    high.refresh_from_db()
    assert high.reviewed_at is None


def test_a_consultant_of_another_clinic_gets_a_404(client, shared):
    stranger = UserFactory(username="dr-far", role=CONSULTANT, clinics=[ClinicFactory(code="far", name="Far")])
    client.force_login(stranger)
    assert client.post(reverse("lab_mark_reviewed", args=[shared["high"].pk])).status_code == 404
    shared["high"].refresh_from_db()
    assert shared["high"].reviewed_at is None


def test_the_patient_cannot_mark_review(patient_client, shared):
    assert patient_client.post(reverse("lab_mark_reviewed", args=[shared["high"].pk])).status_code == 403


def test_a_changed_value_needs_a_new_review(patient_client, shared, consultant_user, staff_user):
    high = shared["high"]
    lab_result_mark_reviewed(result=high, actor=consultant_user)
    record_update(record=high, actor=staff_user, lab="City lab")
    high.refresh_from_db()
    assert high.reviewed_at is not None  # the lab's name is not the result
    record_update(record=high, actor=staff_user, value_canonical=high.value_canonical + 100)
    high.refresh_from_db()
    assert high.reviewed_at is None and high.reviewed_by is None
    assert AWAITING in patient_client.get(HOME).content.decode()
