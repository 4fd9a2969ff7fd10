"""Withdrawing a wrong value through the pages, and reading who changed what on the history page."""

import html
import re

import pytest
from django.urls import reverse

from tests.record_kinds import record_model

MARKABLE = ("treatment", "visit", "imaging", "symptoms", "lab", "ncs")
ANCHOR = {"treatment": "treatments", "visit": "visits", "lab": "labs"}


def page_text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def row_of(response, pk_marker: str) -> str:
    """The table row of the patient page that links to `pk_marker` (a record's history URL)."""
    content = response.content.decode()
    for row in re.findall(r"<tr[^>]*>.*?</tr>", content, re.S):
        if pk_marker in row:
            return row
    raise AssertionError(f"no row links to {pk_marker}")


@pytest.mark.parametrize("reason", ["", "   "])
def test_reason_is_required_and_the_record_stays_final(staff_client, records, reason):
    visit = records["visit"]
    response = staff_client.post(reverse("record_error", args=["visit", visit.pk]), {"reason": reason})
    assert response.status_code == 200
    assert "This field is required." in page_text(response)
    visit.refresh_from_db()
    assert (visit.status, visit.history.count()) == ("final", 1)


@pytest.mark.parametrize("kind", MARKABLE)
def test_marked_record_stays_on_the_patient_page_labelled_entered_in_error(staff_client, records, kind):
    record = records[kind]
    response = staff_client.post(reverse("record_error", args=[kind, record.pk]), {"reason": "Typed twice."})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.error_reason) == ("entered_in_error", "Typed twice.")
    detail = staff_client.get(reverse("patient_detail", args=[records["patient"].pk]))
    history_url = reverse("record_history", args=[kind, record.pk])
    if kind == "ncs":
        assert "Entered in error" in page_text(detail)
    else:
        row = row_of(detail, history_url)
        assert "Entered in error" in row
        assert 'title="Typed twice."' in row
        assert reverse("record_error", args=[kind, record.pk]) not in row


def test_marked_lab_result_redirects_to_the_labs_section(staff_client, records):
    lab = records["lab"]
    response = staff_client.post(reverse("record_error", args=["lab", lab.pk]), {"reason": "Haemolysed."})
    assert response.url == reverse("patient_detail", args=[records["patient"].pk]) + "#labs"
    assert record_model("lab").objects.valid().filter(pk=lab.pk).count() == 0


def test_marking_twice_shows_why_and_changes_nothing(staff_client, records):
    visit = records["visit"]
    url = reverse("record_error", args=["visit", visit.pk])
    staff_client.post(url, {"reason": "First."})
    response = staff_client.post(url, {"reason": "Second."})
    assert response.status_code == 200
    assert "This record is already marked entered in error." in page_text(response)
    visit.refresh_from_db()
    assert visit.error_reason == "First."


def test_marked_nerve_study_marks_its_rows_on_the_page(staff_client, records):
    study = records["ncs"]
    staff_client.post(reverse("record_error", args=["ncs", study.pk]), {"reason": "Other patient."})
    assert set(record_model("ncs").objects.get(pk=study.pk).results.values_list("status", flat=True)) == {
        "entered_in_error"
    }


def test_history_page_shows_who_created_and_who_withdrew_with_the_reason(client, records, staff_user, consultant_user):
    visit = records["visit"]
    client.force_login(consultant_user)
    client.post(reverse("record_error", args=["visit", visit.pk]), {"reason": "Wrong patient."})
    text = page_text(client.get(reverse("record_history", args=["visit", visit.pk])))
    versions = record_model("visit").objects.get(pk=visit.pk).history.order_by("-history_date")
    changed, created = versions[0], versions[1]
    assert f"{changed.history_date:%Y-%m-%d} " in text
    assert "changed by doctor" in text
    assert "created by nurse" in text
    assert text.index("changed by doctor") < text.index("created by nurse")
    assert "Status Final Entered in error" in text
    assert "Error reason Wrong patient." in text
    assert created.history_user == staff_user


def test_history_page_lists_each_edit_with_before_and_after(client, records, consultant_user):
    visit = records["visit"]
    client.force_login(consultant_user)
    client.post(
        reverse("record_edit", args=["visit", visit.pk]), {"visit_date": "2024-01-10", "onls_arm": "1", "onls_leg": "4"}
    )
    text = page_text(client.get(reverse("record_history", args=["visit", visit.pk])))
    assert "changed by doctor" in text
    assert "ONLS leg 2 4" in text


def test_history_changes_table_names_the_users_not_their_database_ids(client, records, staff_user, consultant_user):
    visit = records["visit"]
    client.force_login(consultant_user)
    client.post(reverse("record_error", args=["visit", visit.pk]), {"reason": "Wrong patient."})
    text = page_text(client.get(reverse("record_history", args=["visit", visit.pk])))
    assert f"Updated by {staff_user.pk} {consultant_user.pk}" not in text
    assert "Updated by nurse doctor" in text


@pytest.mark.parametrize("kind", ["patient", "checklist", "engraftment", "flag", "lab", "ncs"])
def test_history_page_opens_for_every_audited_kind(staff_client, records, kind):
    response = staff_client.get(reverse("record_history", args=[kind, records[kind].pk]))
    assert response.status_code == 200
    assert "History of" in page_text(response)


def test_history_shows_status_in_words(client, records, consultant_user):
    visit = records["visit"]
    client.force_login(consultant_user)
    client.post(reverse("record_error", args=["visit", visit.pk]), {"reason": "Wrong patient."})
    text = page_text(client.get(reverse("record_history", args=["visit", visit.pk])))
    assert "Final Entered in error" in text and "entered_in_error" not in text.replace("entered-in-error", "")
