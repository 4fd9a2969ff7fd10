"""The read audit: every view of a patient's pages and every patient on a search hit list is a
row (who, when, patient, what) in an append-only table; consultants see who has opened a
record; `manage.py access_log` prints it as CSV (INTERFACES.md section 4)."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from tracker.models import PatientRead
from tracker.models.accounts import AppendOnlyError


def reads():
    return list(PatientRead.objects.order_by("id").values_list("username", "mrn", "what"))


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("patient_detail", "patient page"),
        ("patient_summary", "summary"),
    ],
)
def test_each_patient_page_view_is_one_row(staff_client, records, name, what):
    assert PatientRead.objects.count() == 0
    assert staff_client.get(reverse(name, args=[records["patient"].pk])).status_code == 200
    assert reads() == [("nurse", "P001", what)]


@pytest.mark.parametrize("kind", ["lab", "visit", "treatment", "ncs", "patient", "flag"])
def test_record_history_pages_are_recorded(staff_client, records, kind):
    staff_client.get(reverse("record_history", kwargs={"kind": kind, "record_pk": records[kind].pk}))
    assert reads() == [("nurse", "P001", f"history of {kind}")]


def test_the_flag_page_is_recorded(consultant_client, records):
    consultant_client.get(reverse("flag_detail", args=[records["flag"].pk]))
    assert reads() == [("doctor", "P001", "flag page")]


def test_a_search_records_one_row_per_patient_listed(staff_client, patient, other_patient, outsider_staff):
    staff_client.get("/patients/?q=")
    assert sorted(reads()) == [("nurse", "P001", "search"), ("nurse", "P002", "search")]
    staff_client.get("/patients/?q=nobody-by-this-name")  # lists nobody, so adds nothing
    assert len(reads()) == 2


def test_the_cohort_chart_records_every_patient_drawn(consultant_client, patient, other_patient):
    consultant_client.get("/cohort/")
    assert sorted(reads()) == [("doctor", "P001", "cohort chart"), ("doctor", "P002", "cohort chart")]


def test_a_refused_read_is_not_recorded(client, records, outsider_staff):
    client.force_login(outsider_staff)
    assert client.get(reverse("patient_detail", args=[records["patient"].pk])).status_code == 404
    assert reads() == []


def test_consultants_see_who_has_opened_the_record(client, records, staff_user, consultant_user):
    client.force_login(staff_user)
    page = client.get(reverse("patient_detail", args=[records["patient"].pk])).content.decode()
    assert "Who has opened this record" not in page
    client.force_login(consultant_user)
    page = client.get(reverse("patient_detail", args=[records["patient"].pk])).content.decode()
    assert "Who has opened this record" in page
    assert "<td>nurse</td>" in page and "<td>doctor</td>" in page


def test_audit_rows_are_never_changed_or_deleted(staff_client, records):
    staff_client.get(reverse("patient_detail", args=[records["patient"].pk]))
    row = PatientRead.objects.get()
    row.what = "nothing"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        PatientRead.objects.update(what="nothing")
    with pytest.raises(AppendOnlyError):
        PatientRead.objects.all().delete()
    assert reads() == [("nurse", "P001", "patient page")]


def test_no_account_is_ever_deleted(consultant_user, staff_user):
    """Records already PROTECT their creator; the guard covers every other account too (one
    that only signed in, acknowledged a flag or imported a file)."""
    from django.db import transaction

    with pytest.raises(AppendOnlyError, match="deactivate it instead"), transaction.atomic():
        consultant_user.delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        get_user_model().objects.filter(pk__in=[consultant_user.pk, staff_user.pk]).delete()
    assert get_user_model().objects.filter(pk__in=[staff_user.pk, consultant_user.pk]).count() == 2


def access_log(*args) -> list[str]:
    out = io.StringIO()
    call_command("access_log", *args, stdout=out)
    return out.getvalue().splitlines()


def test_access_log_prints_csv_with_the_contract_header(client, records, staff_user, consultant_user, other_patient):
    client.force_login(staff_user)
    client.get(reverse("patient_detail", args=[records["patient"].pk]))
    client.force_login(consultant_user)
    client.get(reverse("patient_summary", args=[other_patient.pk]))
    lines = access_log()
    assert lines[0] == "when,user,mrn,what"
    assert [line.split(",", 1)[1] for line in lines[1:]] == ["nurse,P001,patient page", "doctor,P002,summary"]
    datetime.datetime.fromisoformat(lines[1].split(",")[0])
    assert [line.split(",", 1)[1] for line in access_log("--mrn", "P002")[1:]] == ["doctor,P002,summary"]
    assert [line.split(",", 1)[1] for line in access_log("--user", "nurse")[1:]] == ["nurse,P001,patient page"]
    assert access_log("--since", "2999-01-01") == ["when,user,mrn,what"]
    assert len(access_log("--since", "2000-01-01")) == 3


def test_access_log_refuses_a_date_it_cannot_read(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        access_log("--since", "02/12/2026")


def test_a_patient_reading_their_own_record_is_not_recorded(patient, other_patient, patient_user, staff_user):
    from tracker.accounts.audit import patient_reads_record

    assert patient_reads_record(user=patient_user, patients=[patient], what="own record") == 0
    assert patient_reads_record(user=patient_user, patients=[patient, other_patient], what="test") == 1
    assert patient_reads_record(user=staff_user, patients=[patient], what="patient page") == 1
    assert reads() == [("ada", "P002", "test"), ("nurse", "P001", "patient page")]


def test_a_large_read_is_written_in_batches(clinic, staff_user, monkeypatch):
    from tests.factories import PatientFactory
    from tracker.accounts import audit
    from tracker.models import Patient

    monkeypatch.setattr(audit, "READ_BATCH", 2)
    for number in range(5):
        PatientFactory(clinic=clinic, mrn=f"B{number}")
    patients = Patient.objects.order_by("pk").only("pk", "mrn").iterator()
    assert audit.patient_reads_record(user=staff_user, patients=patients, what="export") == 5
    assert [mrn for _, mrn, _ in reads()] == ["B0", "B1", "B2", "B3", "B4"]
