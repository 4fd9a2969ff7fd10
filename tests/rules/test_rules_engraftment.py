"""Spitzer engraftment-syndrome criteria (TV-12 and boundaries)."""

from __future__ import annotations

import pytest
from rules_builders import d

from tracker.rules import FEATURES, spitzer_definite

ENGRAFTED = d("2025-03-12")


@pytest.mark.parametrize(
    ("features", "definite"),
    [
        ({"fever", "rash", "pulmonary_oedema"}, True),
        ({"fever", "rash", "weight_gain"}, True),
        ({"fever", "rash"}, False),
        ({"fever", "bilirubin", "creatinine", "transaminases", "encephalopathy"}, False),
        ({"fever", "diarrhoea"}, False),
        ({"fever", "rash", "diarrhoea"}, False),
    ],
)
def test_spitzer_counts_major_and_minor_criteria(features, definite):
    assert spitzer_definite(features, engraftment_date=None, onset_date=None) is definite


@pytest.mark.parametrize(("onset", "definite"), [("2025-03-16", True), ("2025-03-17", False), ("2025-03-08", True)])
def test_onset_must_be_within_96_hours_of_engraftment(onset, definite):
    features = {"fever", "rash", "weight_gain"}
    assert spitzer_definite(features, engraftment_date=ENGRAFTED, onset_date=d(onset)) is definite


def test_unknown_feature_is_an_error():
    with pytest.raises(ValueError, match="unknown engraftment features: itch"):
        spitzer_definite({"itch"}, engraftment_date=None, onset_date=None)


def test_features_table_lists_each_code_once_with_its_kind():
    codes = [code for code, _, _ in FEATURES]
    assert len(codes) == len(set(codes)) == 9
    kinds = {code: kind for code, _, kind in FEATURES}
    assert kinds["diarrhoea"] == "not_a_criterion"
    assert sum(kind == "major" for kind in kinds.values()) == 3
