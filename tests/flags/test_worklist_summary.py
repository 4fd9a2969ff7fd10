"""The worklist summary rows: kept by the flag evaluation, paged and filtered in SQL, indexed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PatientFactory
from tests.flags.conftest import add_vegf
from tests.record_kinds import record_model
from tracker.models import FlagStatus, WorklistEntry
from tracker.services.flags import flag_acknowledge, rule_params
from tracker.services.worklist import worklist_entries_rebuild
from tracker.worklist import PAGE_SIZE, TOP_FLAGS, worklist_page

D = datetime.date
SUMMARY_FIELDS = (
    "status",
    "top_rank",
    "top_raised_on",
    "open_flags",
    "unacknowledged",
    "last_vegf_value",
    "last_vegf_comparator",
    "last_vegf_unit",
    "last_vegf_specimen",
    "last_vegf_on",
    "last_visit_on",
    "anchor_on",
    "next_due_on",
    "interval_months",
)


def _flagged(clinic, count, *, prefix="P", rank=2, flags_each=1):
    """Patients with stored flags and summary rows written directly (fast, for paging)."""
    today = timezone.localdate()
    for i in range(count):
        patient = PatientFactory(clinic=clinic, mrn=f"{prefix}{i:04d}")
        for n in range(flags_each):
            record_model("flag").objects.create(
                patient=patient,
                key=f"k{n}",
                rule=f"R{n}",
                rule_version="1",
                severity={2: "red", 1: "amber"}[rank],
                severity_rank=rank,
                domain="vegf",
                raised_on=today - datetime.timedelta(days=n + i),
                explanation=f"Flag number {n}",
            )
        worklist_entries_rebuild([patient.pk], today=today, params=rule_params())


def test_evaluation_keeps_the_summary_row_in_step(staff_user, tv08):
    entry = WorklistEntry.objects.get(patient=tv08.patient)
    assert (entry.status, entry.top_rank, entry.open_flags, entry.unacknowledged) == ("amber", 1, 1, 1)
    assert (entry.last_vegf_on, entry.last_vegf_specimen, entry.last_vegf_unit) == (D(2024, 10, 14), "serum", "pg/mL")
    assert entry.anchor_on == D(2024, 1, 15) and entry.next_due_on is not None
    add_vegf(tv08.patient, staff_user, D(2024, 11, 20), "700")
    entry.refresh_from_db()
    assert entry.last_vegf_on == D(2024, 11, 20)


def test_bulk_rebuild_gives_the_same_row_as_the_evaluation(staff_user, consultant_user, tv08):
    flag_acknowledge(flag=record_model("flag").objects.get(rule="R1"), actor=consultant_user, note="Infection")
    stored = WorklistEntry.objects.filter(patient=tv08.patient).values(*SUMMARY_FIELDS).get()
    assert stored["unacknowledged"] == 0 and stored["open_flags"] == 1
    worklist_entries_rebuild([tv08.patient.pk], today=timezone.localdate(), params=rule_params())
    rebuilt = WorklistEntry.objects.filter(patient=tv08.patient).values(*SUMMARY_FIELDS).get()
    assert rebuilt == stored


def test_pages_of_fifty_with_counts(staff_client, clinic):
    _flagged(clinic, PAGE_SIZE + 5, prefix="R", rank=2)
    _flagged(clinic, 3, prefix="A", rank=1)
    first = staff_client.get(reverse("worklist")).context["page"]
    assert (first.total, first.pages, len(first.rows)) == (PAGE_SIZE + 8, 2, PAGE_SIZE)
    assert first.counts == {"red": PAGE_SIZE + 5, "amber": 3, "overdue": 0}
    second = staff_client.get(reverse("worklist") + "?page=2").context["page"]
    assert [row.status for row in second.rows] == ["red"] * 5 + ["amber"] * 3
    seen = {row.patient.mrn for row in first.rows} | {row.patient.mrn for row in second.rows}
    assert len(seen) == PAGE_SIZE + 8
    amber = staff_client.get(reverse("worklist") + "?severity=amber").context["page"]
    assert [row.patient.mrn for row in amber.rows] == ["A0000", "A0001", "A0002"]
    assert staff_client.get(reverse("worklist") + "?page=99").context["page"].number == 2


def test_each_row_shows_its_top_flags_and_a_count_of_the_rest(staff_client, clinic):
    _flagged(clinic, 1, prefix="MANY", rank=2, flags_each=TOP_FLAGS + 4)
    html = staff_client.get(reverse("worklist")).content.decode()
    row = staff_client.get(reverse("worklist")).context["page"].rows[0]
    assert len(row.flags) == TOP_FLAGS and row.open_flags == TOP_FLAGS + 4
    assert [flag.rule for flag in row.flags] == ["R0", "R1", "R2"]  # newest first
    assert "and 4 more open flags" in html


def test_acknowledgement_filter_and_count(consultant_client, consultant_user, tv08, clinic, staff_user):
    _flagged(clinic, 1, prefix="RED", rank=2)
    url = reverse("worklist")
    assert {r.patient.mrn for r in consultant_client.get(url + "?ack=unacknowledged").context["rows"]} == {
        tv08.patient.mrn,
        "RED0000",
    }
    flag_acknowledge(
        flag=record_model("flag").objects.get(rule="R1", patient=tv08.patient), actor=consultant_user, note="Infection"
    )
    assert WorklistEntry.objects.get(patient=tv08.patient).unacknowledged == 0
    assert [r.patient.mrn for r in consultant_client.get(url + "?ack=unacknowledged").context["rows"]] == ["RED0000"]
    assert [r.patient.mrn for r in consultant_client.get(url + "?ack=acknowledged").context["rows"]] == [
        tv08.patient.mrn
    ]
    assert record_model("flag").objects.get(rule="R1", patient=tv08.patient).status == FlagStatus.ACKNOWLEDGED


def _count(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


WORKLIST_QUERIES = 7  # session, user, role, the user's clinics, counts, page rows, top flags


def test_query_count_is_pinned_and_the_same_at_10_and_200_patients(staff_client, clinic):
    _flagged(clinic, 10, prefix="S", flags_each=5)
    small = _count(staff_client, reverse("worklist"))
    filtered_small = _count(
        staff_client, reverse("worklist") + f"?severity=red&clinic={clinic.code}&ack=unacknowledged"
    )
    _flagged(clinic, 190, prefix="L", flags_each=5)
    assert staff_client.get(reverse("worklist")).context["page"].total == 200
    assert _count(staff_client, reverse("worklist")) == small == WORKLIST_QUERIES
    assert _count(staff_client, reverse("worklist") + "?page=4") == small
    assert _count(staff_client, reverse("worklist") + f"?severity=red&clinic={clinic.code}&ack=unacknowledged") == (
        filtered_small
    )
    assert filtered_small == WORKLIST_QUERIES


def _plan(queryset) -> str:
    return queryset.explain().lower()


@pytest.mark.parametrize("severity", ["red", "amber", "overdue"])
def test_the_worklist_filter_uses_an_index(clinic, staff_user, severity):
    _flagged(clinic, 30, prefix="E")
    from tracker.models import Patient

    today = timezone.localdate()
    with CaptureQueriesContext(connection) as context:
        worklist_page(Patient.objects.filter(clinic=clinic), today=today, severity=severity)
    page_sql = next(q["sql"] for q in context.captured_queries if "ROW_NUMBER" not in q["sql"] and "LIMIT" in q["sql"])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a test-sized table would be read whole otherwise
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + page_sql)
        plan = " ".join(str(part) for row in cursor.fetchall() for part in row).lower()
    assert "worklist_" in plan and "idx" in plan or "tracker_worklistentry_pkey" in plan, plan
