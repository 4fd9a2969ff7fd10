"""ncs_study_record (all rows or none) and engraftment_save with the Spitzer derivation (TV-12)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.record_kinds import record_model
from tests.services.conftest import DAY
from tracker.services.records import engraftment_save, ncs_result_record, ncs_study_record, treatment_record

D = Decimal
PERONEAL = {
    "kind": "motor",
    "nerve": "peroneal",
    "side": "right",
    "site": "ankle",
    "cmap_amp_mv": D("2.1"),
    "cv_ms": D("34"),
}
SURAL = {"kind": "sensory", "nerve": "sural", "side": "left", "snap_amp_uv": D("4.5")}


def study(patient, actor, rows, **fields):
    return ncs_study_record(patient=patient, actor=actor, rows=rows, study_date=DAY, **fields)


def test_study_is_saved_with_every_row(patient, actor):
    saved = study(patient, actor, [PERONEAL, SURAL], lab="Neuro lab", temperature_c=D("32.5"))
    rows = record_model("ncsresult").objects.filter(study=saved)
    assert {(r.kind, r.nerve, r.side) for r in rows} == {("motor", "peroneal", "right"), ("sensory", "sural", "left")}
    assert {r.created_by for r in rows} == {actor}


def test_one_bad_row_saves_neither_the_study_nor_any_row(patient, actor, record_counts):
    before = record_counts()
    bad = {**SURAL, "snap_amp_uv": D("250")}
    with pytest.raises(ValidationError) as caught:
        study(patient, actor, [PERONEAL, bad])
    assert caught.value.message_dict == {"row1-snap_amp_uv": ["SNAP amplitude must be between 0.0 and 200.0 µV."]}
    assert record_counts() == before


@pytest.mark.parametrize(
    ("row", "key", "message"),
    [
        ({**PERONEAL, "cmap_amp_mv": D("31")}, "row0-cmap_amp_mv", "CMAP amplitude must be between 0.0 and 30.0 mV."),
        ({**PERONEAL, "cv_ms": D("4.9")}, "row0-cv_ms", "Conduction velocity must be between 5.0 and 90.0 m/s."),
        ({**PERONEAL, "dml_ms": D("0.4")}, "row0-dml_ms", "Distal motor latency must be between 0.5 and 30.0 ms."),
        ({**PERONEAL, "f_min_latency_ms": D("101")}, "row0-f_min_latency_ms", "between 15.0 and 100.0 ms."),
        ({**PERONEAL, "nerve": "sural"}, "row0-nerve", "Motor studies take median, ulnar, peroneal, tibial."),
        ({**SURAL, "nerve": "tibial"}, "row0-nerve", "Sensory studies take median, ulnar, radial, sural"),
        ({**PERONEAL, "snap_amp_uv": D("5")}, "row0-snap_amp_uv", "SNAP amplitude belongs to a sensory study."),
        ({**SURAL, "cmap_amp_mv": D("5")}, "row0-cmap_amp_mv", "belong to a motor study."),
    ],
)
def test_bad_nerve_row_is_refused_keyed_by_row_and_field(patient, actor, record_counts, row, key, message):
    before = record_counts()
    with pytest.raises(ValidationError) as caught:
        study(patient, actor, [row])
    assert message in caught.value.message_dict[key][0]
    assert record_counts() == before


def test_the_same_nerve_twice_in_one_study_is_refused(patient, actor, record_counts):
    before = record_counts()
    with pytest.raises(ValidationError) as caught:
        study(patient, actor, [PERONEAL, PERONEAL])
    assert list(caught.value.message_dict) == ["row1-__all__"]
    assert record_counts() == before


def test_study_without_rows_is_refused(patient, actor, record_counts):
    before = record_counts()
    with pytest.raises(ValidationError, match="Enter at least one nerve row"):
        study(patient, actor, [])
    assert record_counts() == before


def test_limb_temperature_outside_20_to_40_c_is_refused(patient, actor, record_counts):
    before = record_counts()
    with pytest.raises(ValidationError) as caught:
        study(patient, actor, [PERONEAL], temperature_c=D("41"))
    assert caught.value.message_dict == {"temperature_c": ["Limb temperature must be between 20.0 and 40.0 °C."]}
    assert record_counts() == before


def test_second_study_on_the_same_day_is_refused(patient, actor, record_counts):
    study(patient, actor, [PERONEAL])
    before = record_counts()
    with pytest.raises(ValidationError):
        study(patient, actor, [SURAL])
    assert record_counts() == before


def test_a_row_is_added_to_an_existing_study(patient, actor):
    saved = study(patient, actor, [PERONEAL])
    ncs_result_record(study=saved, actor=actor, **SURAL)
    assert saved.results.count() == 2


ENGRAFTED = datetime.date(2025, 3, 12)


@pytest.fixture
def asct(patient, actor):
    return treatment_record(
        patient=patient, actor=actor, category="asct", start_date=datetime.date(2025, 2, 27),
        end_date=datetime.date(2025, 3, 1), infusion_date=datetime.date(2025, 3, 1),
        neutrophil_engraftment_date=ENGRAFTED,
    )  # fmt: skip


def test_tv12_fever_rash_and_weight_gain_two_days_after_engraftment_is_spitzer_definite(asct, actor):
    record = engraftment_save(
        treatment=asct, actor=actor, present=True, onset_date=datetime.date(2025, 3, 14),
        features=["fever", "rash", "weight_gain"],
    )  # fmt: skip
    assert record_model("engraftment").objects.get(pk=record.pk).spitzer_definite is True


def test_tv12_variant_fever_and_diarrhoea_is_not_spitzer_definite(asct, actor):
    record = engraftment_save(
        treatment=asct, actor=actor, present=True, onset_date=datetime.date(2025, 3, 14),
        features=["fever", "diarrhoea"],
    )  # fmt: skip
    assert record.spitzer_definite is False
    assert record.features == ["fever", "diarrhoea"]


def test_onset_more_than_96_hours_after_engraftment_is_not_definite(asct, actor):
    record = engraftment_save(
        treatment=asct, actor=actor, onset_date=ENGRAFTED + datetime.timedelta(days=5),
        features=["fever", "rash", "pulmonary_oedema"],
    )  # fmt: skip
    assert record.spitzer_definite is False


def test_saving_again_updates_the_one_record_and_keeps_history(asct, actor, consultant_user):
    engraftment_save(treatment=asct, actor=actor, present=False)
    engraftment_save(treatment=asct, actor=consultant_user, present=True, steroids_given=True)
    record = record_model("engraftment").objects.get(treatment=asct)
    assert (record.present, record.steroids_given) == (True, True)
    assert [h.history_user for h in record.history.order_by("history_date")] == [actor, consultant_user]


def test_unknown_engraftment_feature_is_refused(asct, actor, record_counts):
    before = record_counts()
    with pytest.raises(ValidationError) as caught:
        engraftment_save(treatment=asct, actor=actor, features=["fever", "hiccups"])
    assert caught.value.message_dict == {"features": ["Unknown feature hiccups."]}
    assert record_counts() == before


def test_engraftment_record_belongs_only_to_an_asct(patient, actor, record_counts):
    rt = treatment_record(patient=patient, actor=actor, category="radiotherapy", start_date=DAY)
    before = record_counts()
    with pytest.raises(ValidationError, match="belongs to an ASCT"):
        engraftment_save(treatment=rt, actor=actor, present=True)
    assert record_counts() == before
