"""treatment_record, visit_record, imaging_record and symptom_report_record."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.record_kinds import record_model
from tests.services.conftest import DAY
from tracker.services.records import imaging_record, symptom_report_record, treatment_record, visit_record

D = Decimal
LATER = DAY + datetime.timedelta(days=40)


def assert_refused(service, patient, actor, record_counts, field, message, **fields):
    before = record_counts()
    with pytest.raises(ValidationError) as caught:
        service(patient=patient, actor=actor, **fields)
    assert message in " ".join(caught.value.message_dict[field])
    assert record_counts() == before


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"category": "radiotherapy", "intent": "salvage"}, LATER),
        ({"category": "asct", "intent": "conditioning"}, LATER),
        ({"category": "systemic_anti_plasma_cell", "intent": "frontline"}, LATER),
        ({"category": "systemic_anti_plasma_cell", "intent": "salvage"}, None),
        ({"category": "systemic_anti_plasma_cell", "intent": "maintenance"}, None),
        ({"category": "corticosteroid", "intent": ""}, None),
        ({"category": "neuropathic_pain_drug", "intent": "symptomatic"}, None),
    ],
)
def test_response_anchor_defaults_to_the_end_of_rt_asct_or_frontline_only(patient, actor, fields, expected):
    treatment = treatment_record(patient=patient, actor=actor, start_date=DAY, end_date=LATER, **fields)
    assert treatment.response_anchor == expected


def test_ongoing_radiotherapy_has_no_anchor_yet(patient, actor):
    treatment = treatment_record(patient=patient, actor=actor, category="radiotherapy", start_date=DAY)
    assert treatment.response_anchor is None


@pytest.mark.parametrize("category", ["radiotherapy", "systemic_anti_plasma_cell", "corticosteroid"])
def test_explicit_response_anchor_wins_over_the_default(patient, actor, category):
    anchor = DAY + datetime.timedelta(days=10)
    treatment = treatment_record(
        patient=patient, actor=actor, category=category, intent="frontline", start_date=DAY, end_date=LATER,
        anchor_date=anchor,
    )  # fmt: skip
    assert record_model("treatment").objects.get(pk=treatment.pk).response_anchor == anchor


def test_radiotherapy_with_dose_and_fractions_is_saved_with_the_actor(patient, actor):
    treatment = treatment_record(
        patient=patient, actor=actor, category="radiotherapy", start_date=DAY, total_dose_gy=D("45"), fractions=25
    )
    assert (treatment.total_dose_gy, treatment.fractions, treatment.created_by) == (D("45"), 25, actor)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"category": "corticosteroid", "end_date": DAY - datetime.timedelta(days=1)}, "end_date", "before the start"),
        ({"category": "systemic_anti_plasma_cell", "agents": ["aspirin", "unobtainium"]}, "agents", "Unknown agent unobtainium"),
        ({"category": "corticosteroid", "total_dose_gy": D("20")}, "total_dose_gy", "apply only to radiotherapy"),
        ({"category": "systemic_anti_plasma_cell", "melphalan_mg_m2": D("200")}, "melphalan_mg_m2", "apply only to ASCT"),
        ({"category": "radiotherapy", "anchor_date": DAY - datetime.timedelta(days=1)}, "anchor_date", "cannot be before the start"),
        ({"category": "radiotherapy", "total_dose_gy": D("80.5")}, "total_dose_gy", "Total RT dose must be between 0.0 and 80.0 Gy."),
        ({"category": "radiotherapy", "fractions": 61}, "fractions", "Fractions must be between 1 and 60 fractions."),
        ({"category": "asct", "melphalan_mg_m2": D("260")}, "melphalan_mg_m2", "Melphalan dose must be between 50.0 and 250.0 mg/m²."),
        ({"category": "asct", "cd34_dose_e6_per_kg": D("0.4")}, "cd34_dose_e6_per_kg", "CD34+ dose must be between 0.5 and 50.0 ×10⁶/kg."),
        ({"category": "corticosteroid", "line": 0}, "line", "Line of therapy must be between 1 and 30."),
        ({"category": "corticosteroid", "cycles_planned": 101}, "cycles_planned", "Cycles planned must be between 1 and 100 cycles."),
        ({"category": "chemo"}, "category", "is not a valid choice"),
    ],
)  # fmt: skip
def test_bad_treatment_is_refused_naming_the_field(patient, actor, record_counts, fields, field, message):
    assert_refused(treatment_record, patient, actor, record_counts, field, message, start_date=DAY, **fields)


VISIT_BOUNDS = [
    ("onls_arm", 0, 5, "ONLS arm must be between 0 and 5 points."),
    ("onls_leg", 0, 7, "ONLS leg must be between 0 and 7 points."),
    ("incat_arm", 0, 5, "INCAT arm must be between 0 and 5 points."),
    ("incat_leg", 0, 5, "INCAT leg must be between 0 and 5 points."),
    ("mrs", 0, 6, "mRS must be between 0 and 6 points."),
    ("ecog", 0, 5, "ECOG must be between 0 and 5 points."),
    ("pain_nrs", 0, 10, "Pain NRS must be between 0 and 10 points."),
    ("weight_kg", D("20.0"), D("300.0"), "Weight must be between 20.0 and 300.0 kg."),
]


@pytest.mark.parametrize(("field", "low", "high", "message"), VISIT_BOUNDS)
def test_visit_scores_at_their_bounds_are_accepted(patient, actor, field, low, high, message):
    visit_record(patient=patient, actor=actor, visit_date=DAY, **{field: low})
    visit_record(patient=patient, actor=actor, visit_date=LATER, **{field: high})


@pytest.mark.parametrize(("field", "low", "high", "message"), VISIT_BOUNDS)
def test_visit_score_above_its_scale_is_refused_naming_range_and_unit(
    patient, actor, record_counts, field, low, high, message
):
    above = high + (D("0.1") if isinstance(high, Decimal) else 1)
    assert_refused(visit_record, patient, actor, record_counts, field, message, visit_date=DAY, **{field: above})


def test_visit_weight_below_20_kg_is_refused(patient, actor, record_counts):
    assert_refused(
        visit_record, patient, actor, record_counts, "weight_kg", "between 20.0 and 300.0 kg", visit_date=DAY,
        weight_kg=D("19.9"),
    )  # fmt: skip


def test_visit_totals_are_derived_from_arm_and_leg(patient, actor):
    visit = visit_record(patient=patient, actor=actor, visit_date=DAY, onls_arm=2, onls_leg=3, incat_arm=1)
    assert (visit.onls_total, visit.incat_total) == (5, None)


@pytest.mark.parametrize(
    ("fields", "field"), [({"modality": "ultrasound"}, "modality"), ({"modality": "ct", "response_category": "MR"}, "response_category")]
)  # fmt: skip
def test_bad_imaging_is_refused_naming_the_field(patient, actor, record_counts, fields, field):
    assert_refused(
        imaging_record, patient, actor, record_counts, field, "is not a valid choice", study_date=DAY, **fields
    )


def test_imaging_with_a_new_lesion_is_saved(patient, actor):
    study = imaging_record(
        patient=patient, actor=actor, study_date=DAY, modality="pet_ct", response_category="PD", new_lesion=True
    )
    assert (study.response_category, study.new_lesion, study.created_by) == ("PD", True, actor)


def test_symptom_item_above_10_is_refused_naming_the_scale(patient, actor, record_counts):
    assert_refused(
        symptom_report_record, patient, actor, record_counts, "pain",
        "Nerve pain (burning, shooting) must be between 0 and 10 (0 = none, 10 = worst).", reported_on=DAY, pain=11,
    )  # fmt: skip


def test_symptom_weight_above_300_kg_is_refused(patient, actor, record_counts):
    assert_refused(
        symptom_report_record, patient, actor, record_counts, "weight_kg", "between 20.0 and 300.0 kg",
        reported_on=DAY, weight_kg=D("301"),
    )  # fmt: skip


def test_second_report_on_the_same_day_replaces_the_first_when_asked(patient, actor, patient_user):
    first = symptom_report_record(patient=patient, actor=patient_user, reported_on=DAY, pain=2, source="patient")
    record_model("symptoms").objects.filter(pk=first.pk).update(reviewed_by=actor, reviewed_at=timezone.now())
    second = symptom_report_record(
        patient=patient, actor=patient_user, reported_on=DAY, pain=6, source="patient", replace_same_day=True
    )
    stored = record_model("symptoms").objects.get(patient=patient)
    assert second.pk == first.pk == stored.pk
    assert (stored.pain, stored.reviewed_by, stored.reviewed_at) == (6, None, None)
    assert sorted(h.pain for h in stored.history.all()) == [2, 6]


def test_second_report_on_the_same_day_is_refused_without_replace(patient, actor, record_counts):
    symptom_report_record(patient=patient, actor=actor, reported_on=DAY, pain=2)
    before = record_counts()
    with pytest.raises(ValidationError) as caught:
        symptom_report_record(patient=patient, actor=actor, reported_on=DAY, pain=3)
    assert list(caught.value.message_dict) == ["__all__"]
    assert record_counts() == before


def test_replacing_with_a_bad_value_keeps_the_first_report(patient, actor, record_counts):
    symptom_report_record(patient=patient, actor=actor, reported_on=DAY, pain=2)
    before = record_counts()
    with pytest.raises(ValidationError):
        symptom_report_record(patient=patient, actor=actor, reported_on=DAY, pain=12, replace_same_day=True)
    assert record_counts() == before
    assert record_model("symptoms").objects.get(patient=patient).pain == 2
