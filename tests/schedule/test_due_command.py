"""`manage.py due` as INTERFACES section 7 specifies."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.schedule.conftest import D, add_lab


def run_due(*args) -> str:
    out = io.StringIO()
    call_command("due", *args, stdout=out)
    return out.getvalue()


def test_json_lists_overdue_and_due_items_with_the_contract_fields(followed):
    report = json.loads(run_due("--format", "json", "--as-of", "2025-01-15"))
    assert report["as_of"] == "2025-01-15"
    by_item = {entry["item"]: entry for entry in report["items"]}
    assert by_item["vegf"] == {
        "mrn": "P001",
        "item": "vegf",
        "last_done": "2024-09-30",
        "due_on": "2024-12-30",
        "interval_months": 3,
        "overdue_days": 16,
    }
    assert by_item["fbc"]["last_done"] is None and by_item["fbc"]["due_on"] == "2024-09-30"
    assert by_item["fbc"]["overdue_days"] == 107
    assert set(by_item) == {"visit", "fbc", "spep_ife", "flc", "chemistry", "vegf", "endocrine"}


def test_within_days_reaches_items_not_yet_due(followed):
    report = json.loads(run_due("--as-of", "2025-06-01", "--within", "45"))
    ncs = next(entry for entry in report["items"] if entry["item"] == "ncs")
    assert ncs == {
        "mrn": "P001", "item": "ncs", "last_done": None, "due_on": "2025-06-30", "interval_months": 12,
        "overdue_days": 0,
    }  # fmt: skip


def test_recording_an_item_takes_it_off_the_list(followed, staff_user):
    add_lab(followed, staff_user, D(2025, 1, 10), "platelets", "250")
    items = {entry["item"] for entry in json.loads(run_due("--as-of", "2025-01-15"))["items"]}
    assert "fbc" not in items and "vegf" in items


def test_mrn_filter_and_unknown_mrn(followed, other_patient):
    report = json.loads(run_due("--mrn", "P002", "--as-of", "2025-01-15"))
    assert report["items"] == []
    with pytest.raises(CommandError, match="No patient with MRN 'P999'"):
        run_due("--mrn", "P999")


def test_table_format_for_people(followed):
    text = run_due("--format", "table", "--as-of", "2025-01-15")
    assert "P001" in text and "vegf" in text and "16 days" in text and "never" in text


@pytest.mark.parametrize("bad", ["-3", "ten", "99999"])
def test_within_must_be_a_number_of_days(bad, db):
    with pytest.raises(CommandError, match="--within must be a whole number of days"):
        run_due("--within", bad)


def test_as_of_ignores_records_made_later(followed, staff_user):
    add_lab(followed, staff_user, D(2025, 3, 1), "platelets", "250")
    early = {e["item"]: e for e in json.loads(run_due("--as-of", "2025-01-15"))["items"]}
    assert early["fbc"]["last_done"] is None
    late = {e["item"]: e for e in json.loads(run_due("--as-of", "2025-03-15"))["items"]}
    assert "fbc" not in late
