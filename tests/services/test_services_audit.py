"""Natural keys, corrections and entered-in-error: nothing is deleted, every version is kept."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.record_kinds import record_model
from tests.services.conftest import DAY
from tracker.models import RecordStatus
from tracker.selectors import patient_rule_data
from tracker.services.common import record_mark_entered_in_error, record_update
from tracker.services.labs import lab_result_record
from tracker.services.records import (
    imaging_record,
    ncs_study_record,
    symptom_report_record,
    treatment_record,
    visit_record,
)

D = Decimal
SURAL = {"kind": "sensory", "nerve": "sural", "side": "right", "snap_amp_uv": D("6")}

# kind -> (service, fields that make up the natural key plus a value)
NATURAL_KEYS = {
    "lab": (lab_result_record, {"analyte": "vegf", "specimen": "serum", "collected_on": DAY, "value": "900"}),
    "treatment": (treatment_record, {"category": "radiotherapy", "start_date": DAY}),
    "visit": (visit_record, {"visit_date": DAY, "onls_arm": 1}),
    "imaging": (imaging_record, {"study_date": DAY, "modality": "pet_ct"}),
    "symptoms": (symptom_report_record, {"reported_on": DAY, "pain": 3}),
    "ncs": (ncs_study_record, {"study_date": DAY, "rows": [SURAL]}),
}


@pytest.mark.parametrize("kind", NATURAL_KEYS)
def test_second_record_with_the_same_natural_key_is_refused(patient, actor, record_counts, kind):
    service, fields = NATURAL_KEYS[kind]
    service(patient=patient, actor=actor, **fields)
    before = record_counts()
    with pytest.raises(ValidationError) as caught:
        service(patient=patient, actor=actor, **fields)
    assert "__all__" in caught.value.message_dict
    assert record_counts() == before


@pytest.mark.parametrize("kind", NATURAL_KEYS)
def test_same_natural_key_is_accepted_after_the_first_is_marked_entered_in_error(patient, actor, kind):
    service, fields = NATURAL_KEYS[kind]
    wrong = service(patient=patient, actor=actor, **fields)
    record_mark_entered_in_error(record=wrong, actor=actor, reason="Typed against the wrong date.")
    corrected = service(patient=patient, actor=actor, **fields)
    assert corrected.pk != wrong.pk
    assert type(wrong).objects.valid().filter(patient=patient).get() == corrected


def test_same_vegf_date_from_another_lab_is_a_separate_series_and_accepted(patient, actor):
    service, fields = NATURAL_KEYS["lab"]
    service(patient=patient, actor=actor, **fields)
    service(patient=patient, actor=actor, **{**fields, "lab": "Reference lab"})
    assert record_model("lab").objects.filter(patient=patient).count() == 2


@pytest.mark.parametrize("kind", ["lab", "visit"])
def test_duplicate_is_refused_with_a_message_people_can_act_on(patient, actor, kind):
    service, fields = NATURAL_KEYS[kind]
    service(patient=patient, actor=actor, **fields)
    with pytest.raises(ValidationError) as caught:
        service(patient=patient, actor=actor, **fields)
    message = " ".join(caught.value.messages)
    assert "natural_key" not in message
    assert "already" in message


def test_update_writes_a_history_version_naming_the_actor(patient, actor, consultant_user):
    visit = visit_record(patient=patient, actor=actor, visit_date=DAY, onls_leg=3)
    record_update(record=visit, actor=consultant_user, onls_leg=2, notes="Rescored.")
    versions = list(record_model("visit").objects.get(pk=visit.pk).history.order_by("history_date", "history_id"))
    assert [(v.history_type, v.history_user, v.onls_leg) for v in versions] == [
        ("+", actor, 3),
        ("~", consultant_user, 2),
    ]
    assert record_model("visit").objects.get(pk=visit.pk).updated_by == consultant_user


def test_bad_update_is_refused_naming_range_and_changes_nothing(patient, actor, record_counts):
    visit = visit_record(patient=patient, actor=actor, visit_date=DAY, onls_leg=3)
    before = record_counts()
    with pytest.raises(ValidationError) as caught:
        record_update(record=visit, actor=actor, onls_leg=8)
    assert caught.value.message_dict == {"onls_leg": ["ONLS leg must be between 0 and 7 points."]}
    assert record_counts() == before
    assert record_model("visit").objects.get(pk=visit.pk).onls_leg == 3


def test_update_onto_another_records_natural_key_is_refused(patient, actor):
    visit_record(patient=patient, actor=actor, visit_date=DAY)
    later = visit_record(patient=patient, actor=actor, visit_date=DAY + datetime.timedelta(days=90))
    with pytest.raises(ValidationError):
        record_update(record=later, actor=actor, visit_date=DAY)


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_entered_in_error_needs_a_reason(patient, actor, record_counts, reason):
    visit = visit_record(patient=patient, actor=actor, visit_date=DAY)
    before = record_counts()
    with pytest.raises(ValidationError) as caught:
        record_mark_entered_in_error(record=visit, actor=actor, reason=reason)
    assert caught.value.message_dict == {"reason": ["Give the reason the record was entered in error."]}
    assert record_counts() == before
    assert record_model("visit").objects.get(pk=visit.pk).status == RecordStatus.FINAL


def test_entered_in_error_keeps_the_row_with_reason_and_history(patient, actor, consultant_user):
    visit = visit_record(patient=patient, actor=actor, visit_date=DAY, onls_arm=2)
    record_mark_entered_in_error(record=visit, actor=consultant_user, reason="  Wrong patient.  ")
    stored = record_model("visit").objects.get(pk=visit.pk)
    assert (stored.status, stored.error_reason, stored.onls_arm) == ("entered_in_error", "Wrong patient.", 2)
    latest = stored.history.latest()
    assert (latest.history_user, latest.status, latest.error_reason) == (
        consultant_user,
        "entered_in_error",
        "Wrong patient.",
    )
    assert stored.history.count() == 2
    assert not record_model("visit").objects.valid().exists()


def test_a_record_cannot_be_marked_twice_or_changed_afterwards(patient, actor):
    visit = visit_record(patient=patient, actor=actor, visit_date=DAY)
    record_mark_entered_in_error(record=visit, actor=actor, reason="Duplicate.")
    with pytest.raises(ValidationError, match="already marked entered in error"):
        record_mark_entered_in_error(record=visit, actor=actor, reason="Again.")
    with pytest.raises(ValidationError, match="cannot be changed"):
        record_update(record=visit, actor=actor, onls_arm=1)


def test_marking_a_study_marks_its_nerve_rows_too(patient, actor):
    study = ncs_study_record(patient=patient, actor=actor, study_date=DAY, rows=[SURAL])
    record_mark_entered_in_error(record=study, actor=actor, reason="Other patient's study.")
    row = record_model("ncsresult").objects.get(study=study)
    assert (row.status, row.error_reason) == ("entered_in_error", "Other patient's study.")
    assert row.history.latest().history_user == actor


def test_a_lab_result_marked_in_error_leaves_the_rules_input(patient, actor):
    kept = lab_result_record(patient=patient, actor=actor, analyte="wbc", collected_on=DAY, value="6")
    wrong = lab_result_record(patient=patient, actor=actor, analyte="platelets", collected_on=DAY, value="900")
    record_mark_entered_in_error(record=wrong, actor=actor, reason="Clumped sample.")
    assert [point.id for point in patient_rule_data(patient).labs] == [kept.pk]


def test_a_duplicate_patient_registration_can_be_marked_entered_in_error(patient, actor):
    record_mark_entered_in_error(record=patient, actor=actor, reason="Registered twice.")
    patient.refresh_from_db()
    assert patient.status == RecordStatus.ENTERED_IN_ERROR
