"""`manage.py flags` as INTERFACES section 2 specifies."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.flags.conftest import add_vegf
from tests.record_kinds import record_model


def run_flags(*args) -> str:
    out = io.StringIO()
    call_command("flags", *args, stdout=out)
    return out.getvalue()


def test_json_report_as_of_the_spike_shows_open_amber(tv08, patient):
    report = json.loads(run_flags("--format", "json", "--mrn", patient.mrn, "--as-of", "2024-10-31"))
    assert report["as_of"] == "2024-10-31"
    [entry] = report["patients"]
    assert entry["mrn"] == patient.mrn and entry["status"] == "amber"
    rules = {(f["rule"], f["severity"], f["status"]) for f in entry["flags"]}
    assert ("R1", "amber", "open") in rules and ("R13", "info", "open") in rules
    r1 = next(f for f in entry["flags"] if f["rule"] == "R1")
    assert r1["raised_on"] == "2024-10-14" and r1["domain"] == "vegf" and r1["evidence"]
    assert entry["response"]["vegf"] == "CR"


def test_as_of_ignores_later_data(tv08, patient, staff_user):
    add_vegf(patient, staff_user, __import__("datetime").date(2024, 11, 20), "750")
    early = json.loads(run_flags("--mrn", patient.mrn, "--as-of", "2024-10-31"))["patients"][0]
    late = json.loads(run_flags("--mrn", patient.mrn, "--as-of", "2024-12-31"))["patients"][0]
    assert early["status"] == "amber"
    assert late["status"] == "green"
    assert next(f for f in late["flags"] if f["rule"] == "R1")["status"] == "closed"


def test_acknowledged_flag_is_reported_as_acknowledged(tv08, patient, consultant_user):
    from tracker.services.flags import flag_acknowledge

    flag_acknowledge(
        flag=record_model("flag").objects.get(patient=patient, rule="R1"), actor=consultant_user, note="seen"
    )
    entry = json.loads(run_flags("--mrn", patient.mrn, "--as-of", "2024-10-31"))["patients"][0]
    assert next(f for f in entry["flags"] if f["rule"] == "R1")["status"] == "acknowledged"
    assert entry["status"] == "amber"  # acknowledged flags still count


def test_table_format_lists_patient_status_and_explanations(tv08, patient):
    text = run_flags("--format", "table", "--as-of", "2024-10-31")
    assert f"{patient.mrn}  status AMBER" in text
    assert "R1" in text and "1,200 pg/mL" in text


def test_unknown_mrn_and_bad_date_are_errors(db):
    with pytest.raises(CommandError, match="No patient"):
        run_flags("--mrn", "NOPE")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run_flags("--as-of", "31/10/2024")


def test_patient_without_data_is_green_with_not_evaluable_response(patient):
    entry = json.loads(run_flags("--mrn", patient.mrn))["patients"][0]
    assert entry == {
        "mrn": patient.mrn,
        "status": "green",
        "flags": [],
        "response": {
            "vegf": "not_evaluable",
            "haematological": "not_evaluable",
            "neuro": "not_evaluable",
            "pet": "not_done",
        },
    }


def test_save_stores_todays_flags_for_every_patient(tv08, patient):

    record_model("flag").objects.all().delete()  # as if the flags had never been stored
    run_flags("--save", "--mrn", patient.mrn)
    assert record_model("flag").objects.filter(patient=patient, rule="R1").exists()
    with pytest.raises(CommandError, match="cannot be combined"):
        run_flags("--save", "--as-of", "2024-10-31")
