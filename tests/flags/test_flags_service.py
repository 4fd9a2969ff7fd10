"""Every write re-evaluates the patient's flags in the same transaction, through one function."""

import datetime

from tests.flags.conftest import add_vegf
from tests.record_kinds import record_model
from tracker.models import FlagStatus
from tracker.services.common import record_mark_entered_in_error
from tracker.services.flags import flag_acknowledge, flags_refresh

D = datetime.date


def test_vegf_spike_raises_r1_amber_and_r13_info_on_write(tv08, patient):
    flags = {flag.rule: flag for flag in record_model("flag").objects.filter(patient=patient)}
    assert flags["R1"].severity == "amber" and flags["R1"].status == FlagStatus.OPEN
    assert flags["R1"].raised_on == D(2024, 10, 14)
    assert "1,200 pg/mL" in flags["R1"].explanation and "nadir of 700 pg/mL" in flags["R1"].explanation
    assert flags["R1"].evidence["lab_result_ids"] == [tv08.pk]
    assert flags["R1"].params["CFG_VEGF_RISE_PCT"] in ("50", 50)
    assert flags["R13"].severity == "info"


def test_next_vegf_below_rule_closes_the_amber_and_keeps_it(tv08, patient, staff_user):
    add_vegf(patient, staff_user, D(2024, 11, 20), "750")
    r1 = record_model("flag").objects.get(patient=patient, rule="R1")
    assert r1.status == FlagStatus.CLOSED
    assert r1.history.count() >= 2  # raised, then closed: both versions kept


def test_evaluating_twice_changes_nothing(tv08, patient):
    before = {
        f.pk: (f.status, f.explanation, f.history.count()) for f in record_model("flag").objects.filter(patient=patient)
    }
    flags_refresh(patient)
    after = {
        f.pk: (f.status, f.explanation, f.history.count()) for f in record_model("flag").objects.filter(patient=patient)
    }
    assert before == after


def test_flag_on_a_value_entered_in_error_is_closed_not_deleted(tv08, patient, staff_user):
    record_mark_entered_in_error(record=tv08, actor=staff_user, reason="Sample mislabelled")
    r1 = record_model("flag").objects.get(patient=patient, rule="R1")
    assert r1.status == FlagStatus.CLOSED
    assert "withdrawn" in r1.evidence


def test_acknowledgement_survives_re_evaluation_and_is_in_history(tv08, patient, consultant_user):
    r1 = record_model("flag").objects.get(patient=patient, rule="R1")
    flag_acknowledge(flag=r1, actor=consultant_user, note="Repeat VEGF in four weeks")
    flags_refresh(patient)
    r1.refresh_from_db()
    assert r1.status == FlagStatus.ACKNOWLEDGED
    assert r1.acknowledged_by == consultant_user
    last = r1.history.order_by("-history_date").first()
    assert last.history_user == consultant_user or r1.history.filter(history_user=consultant_user).exists()
