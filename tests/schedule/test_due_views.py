"""The due list, its CSV, the plan panel and plan changes on the patient page."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PatientFactory
from tests.schedule.conftest import add_frontline, add_lab
from tracker.models.schedule import PlanItem

TODAY = datetime.date.today()


def recent_frontline(patient, actor):
    """T0 200 days ago: past response assessment, everything due; nothing recorded since."""
    end = TODAY - datetime.timedelta(days=200)
    add_frontline(patient, actor, start=end - datetime.timedelta(days=120), end=end)


def test_due_list_shows_overdue_items_with_links(staff_client, staff_user, patient):
    recent_frontline(patient, staff_user)
    response = staff_client.get(reverse("due_list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Full blood count" in text and "overdue" in text
    assert reverse("lab_panel_create", args=[patient.pk, "fbc"]) in text
    assert reverse("patient_detail", args=[patient.pk]) in text


def test_filter_by_item_and_recording_the_item_takes_it_off(staff_client, staff_user, patient):
    recent_frontline(patient, staff_user)
    url = reverse("due_list") + "?item=fbc"
    assert "Full blood count" in staff_client.get(url).content.decode()
    add_lab(patient, staff_user, TODAY, "platelets", "250")
    assert "Nothing due in this window" in staff_client.get(url).content.decode()


def test_csv_export_has_one_row_per_item(staff_client, staff_user, patient):
    recent_frontline(patient, staff_user)
    response = staff_client.get(reverse("due_list") + "?window=overdue&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["item"] for r in rows} == {"visit", "fbc", "spep_ife", "flc", "chemistry", "vegf", "endocrine"}
    assert all(r["mrn"] == "P001" and int(r["overdue_days"]) > 0 for r in rows)


def test_outsiders_see_nothing_and_patients_are_refused(client, staff_user, patient, outsider_staff, patient_user):
    recent_frontline(patient, staff_user)
    client.force_login(outsider_staff)
    assert "P001" not in client.get(reverse("due_list")).content.decode()
    client.force_login(patient_user)
    assert client.get(reverse("due_list")).status_code == 403
    client.logout()
    assert client.get(reverse("due_list")).status_code == 302


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("due_list")).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("extra", [10, 55])
def test_due_list_query_count_is_pinned_whatever_the_number_of_patients(staff_client, staff_user, clinic, extra):
    for _ in range(extra):
        recent_frontline(PatientFactory(clinic=clinic), staff_user)
    # session, user, groups; patients; treatments, VEGF days, last day of each other analyte,
    # of visits, NCS, imaging and self-reports; plan changes; the clinics of the filter.
    assert _queries(staff_client) == 13


def test_plan_panel_on_the_patient_page(consultant_client, consultant_user, patient):
    recent_frontline(patient, consultant_user)
    text = consultant_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "Follow-up plan" in text and "Post-treatment surveillance, early years" in text
    assert reverse("plan_item_edit", args=[patient.pk, "vegf"]) in text


def test_staff_see_the_panel_but_cannot_change_the_plan(staff_client, patient):
    text = staff_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "Follow-up plan" in text
    assert reverse("plan_item_edit", args=[patient.pk, "vegf"]) not in text
    url = reverse("plan_item_edit", args=[patient.pk, "vegf"])
    assert staff_client.post(url, {"enabled": "on", "interval_months": "4"}).status_code == 403
    assert not PlanItem.objects.exists()


def test_consultant_changes_the_plan_from_the_page(consultant_client, patient):
    url = reverse("plan_item_edit", args=[patient.pk, "ncs"])
    response = consultant_client.post(url, {"interval_months": "6", "reason": ""})
    assert response.status_code == 200
    assert "Give a reason for switching this item off." in response.content.decode()
    response = consultant_client.post(url, {"interval_months": "0", "enabled": "on"})
    assert "between 1 and 60 months" in response.content.decode()
    assert not PlanItem.objects.exists()
    response = consultant_client.post(url, {"interval_months": "6", "enabled": "on"})
    assert response.status_code == 302
    assert PlanItem.objects.get(patient=patient, item="ncs").interval_months == 6


def test_plan_of_another_clinics_patient_is_404(client, other_clinic, patient):
    from tests.factories import UserFactory
    from tracker.roles import CONSULTANT

    client.force_login(UserFactory(username="far", role=CONSULTANT, clinics=[other_clinic]))
    assert client.get(reverse("plan_item_edit", args=[patient.pk, "vegf"])).status_code == 404


def test_patient_sees_their_own_next_tests_in_plain_words(client, staff_user, patient, patient_user, other_patient):
    recent_frontline(patient, staff_user)
    client.force_login(patient_user)
    text = client.get(reverse("portal_home")).content.decode()
    assert "Your next tests and visit" in text
    assert "Now due:" in text and "a blood count" in text and "a VEGF blood test" in text
    assert "Around" in text and "a nerve conduction test" in text
    assert "ONLS" not in text and "spep" not in text.lower()


def test_consultant_changes_a_clinic_default_and_staff_cannot(client, consultant_user, staff_user, clinic, patient):
    recent_frontline(patient, staff_user)
    url = reverse("clinic_plan_item_edit", args=[clinic.code, "endocrine"])
    client.force_login(staff_user)
    assert client.post(url, {"reason": "elsewhere"}).status_code == 403
    assert "specification's default" in client.get(reverse("clinic_plan", args=[clinic.code])).content.decode()
    client.force_login(consultant_user)
    assert client.post(url, {"reason": "endocrine clinic follows them"}).status_code == 302
    assert PlanItem.objects.get(clinic=clinic, item="endocrine").enabled is False
    assert (
        "Endocrine profile"
        not in client.get(reverse("due_list") + "?window=overdue").content.decode().split("<tbody>")[1]
    )


def test_clinic_defaults_of_another_clinic_are_404(staff_client, other_clinic):
    assert staff_client.get(reverse("clinic_plan", args=[other_clinic.code])).status_code == 404


def test_plan_item_page_shows_who_changed_it_when(consultant_client, consultant_user, patient):
    url = reverse("plan_item_edit", args=[patient.pk, "vegf"])
    consultant_client.post(url, {"enabled": "on", "interval_months": "4", "reason": "stable for years"})
    text = consultant_client.get(url).content.decode()
    assert "Changes to this item" in text and "stable for years" in text and "4 months" in text
    assert consultant_user.username in text
