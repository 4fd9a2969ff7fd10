"""lab_panel_record: several results drawn together, saved all or nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.record_kinds import record_model
from tests.services.conftest import DAY
from tracker.services.labs import lab_panel_record, lab_result_record

D = Decimal

FBC = [
    {"analyte": "hemoglobin", "value": "13.5", "unit": "g/dL"},
    {"analyte": "hematocrit", "value": "41", "unit": "%"},
    {"analyte": "platelets", "value": "520", "unit": "10^3/uL"},
    {"analyte": "wbc", "value": "7.1"},
]


def panel(patient, actor, entries, **extra):
    return lab_panel_record(patient=patient, actor=actor, collected_on=DAY, entries=entries, lab="City lab", **extra)


def test_full_blood_count_saves_one_row_per_analyte_with_shared_date_and_lab(patient, actor):
    results = panel(patient, actor, FBC, assay="Sysmex")
    stored = {r.analyte: r for r in record_model("lab").objects.filter(patient=patient)}
    assert {r.analyte for r in results} == set(stored) == {"hemoglobin", "hematocrit", "platelets", "wbc"}
    assert stored["hemoglobin"].value_canonical == D("135")
    assert stored["hematocrit"].value_canonical == D("0.41")
    assert {(r.collected_on, r.lab, r.assay, r.created_by) for r in stored.values()} == {
        (DAY, "City lab", "Sysmex", actor)
    }


def test_one_bad_row_saves_nothing_and_the_error_is_keyed_by_its_analyte(patient, actor, record_counts):
    entries = [*FBC[:1], {"analyte": "hematocrit", "value": "95", "unit": "%"}, *FBC[2:]]
    before = record_counts()
    with pytest.raises(ValidationError) as caught:
        panel(patient, actor, entries)
    assert record_counts() == before
    assert set(caught.value.message_dict) == {"hematocrit-value"}
    assert "0.1 to 0.8 L/L (10 to 80 %)" in caught.value.message_dict["hematocrit-value"][0]


def test_every_bad_row_is_reported_beside_its_own_analyte(patient, actor):
    entries = [
        {"analyte": "hemoglobin", "value": "abc"},
        {"analyte": "platelets", "value": "200", "unit": "g/L"},
        {"analyte": "wbc", "value": "7"},
    ]
    with pytest.raises(ValidationError) as caught:
        panel(patient, actor, entries)
    assert set(caught.value.message_dict) == {"hemoglobin-value", "platelets-unit"}
    assert not record_model("lab").objects.exists()


def test_row_clashing_with_a_stored_result_rolls_back_the_whole_panel(patient, actor, record_counts):
    lab_result_record(patient=patient, actor=actor, analyte="wbc", collected_on=DAY, value="6", lab="City lab")
    before = record_counts()
    with pytest.raises(ValidationError) as caught:
        panel(patient, actor, FBC)
    assert record_counts() == before
    assert list(caught.value.message_dict) == ["wbc-value"]  # shown beside the row it concerns
    assert "already recorded" in caught.value.message_dict["wbc-value"][0]


def test_empty_panel_is_refused(patient, actor):
    with pytest.raises(ValidationError, match="Enter at least one result"):
        panel(patient, actor, [])


def test_kappa_lambda_ratio_is_computed_from_the_same_draw(patient, actor):
    entries = [
        {"analyte": "flc_kappa", "value": "15"},
        {"analyte": "flc_lambda", "value": "4.5", "unit": "mg/dL"},
    ]
    results = panel(patient, actor, entries)
    ratio = record_model("lab").objects.get(patient=patient, analyte="flc_ratio")
    assert ratio in results
    assert (ratio.value_canonical, ratio.unit_canonical) == (D("0.333"), "ratio")
    assert (ratio.collected_on, ratio.lab) == (DAY, "City lab")
    assert ratio.reference == (D("0.26"), D("1.65"), True)


def test_an_entered_ratio_is_kept_rather_than_recomputed(patient, actor):
    entries = [
        {"analyte": "flc_kappa", "value": "15"},
        {"analyte": "flc_lambda", "value": "45"},
        {"analyte": "flc_ratio", "value": "0.35"},
    ]
    panel(patient, actor, entries)
    assert [r.value_canonical for r in record_model("lab").objects.filter(analyte="flc_ratio")] == [D("0.35")]


@pytest.mark.parametrize(("kappa", "lam"), [("<3", "45"), ("15", ">5000")])
def test_no_ratio_is_computed_from_a_censored_light_chain(patient, actor, kappa, lam):
    panel(patient, actor, [{"analyte": "flc_kappa", "value": kappa}, {"analyte": "flc_lambda", "value": lam}])
    assert not record_model("lab").objects.filter(analyte="flc_ratio").exists()


def test_no_ratio_is_computed_from_one_light_chain_alone(patient, actor):
    panel(patient, actor, [{"analyte": "flc_kappa", "value": "15"}])
    assert list(record_model("lab").objects.values_list("analyte", flat=True)) == ["flc_kappa"]


def test_vegf_panel_keeps_specimen_and_immunofixation_detail(patient, actor):
    entries = [
        {"analyte": "vegf", "specimen": "plasma", "value": "180"},
        {"analyte": "m_protein", "specimen": "serum", "value": "3", "unit": "g/L"},
        {"analyte": "ife", "specimen": "serum", "value": "positive", "detail": "IgA-lambda"},
    ]
    panel(patient, actor, entries)
    stored = {r.analyte: r for r in record_model("lab").objects.all()}
    assert (stored["vegf"].specimen, stored["vegf"].reference[1]) == ("plasma", D("96.2"))
    assert stored["m_protein"].value_canonical == D("0.3")
    assert (stored["ife"].category, stored["ife"].detail) == ("positive", "IgA-lambda")
