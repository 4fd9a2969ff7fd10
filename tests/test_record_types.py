"""The record-type registry is the one list of record kinds: the pages, the import, the flag
evidence and the timeline agree with it."""

from tracker.importers import KINDS
from tracker.importers.patients import PatientKind
from tracker.record_types import BY_KIND, RECORD_TYPES, entry_type, history_type, rule_series, with_evidence
from tracker.rules.data import PatientData


def test_kinds_are_unique_and_each_model_appears_once():
    assert len(BY_KIND) == len(RECORD_TYPES)
    assert len({rt.model for rt in RECORD_TYPES}) == len(RECORD_TYPES)


def test_the_import_kinds_are_the_patients_and_those_the_registry_names():
    named = {rt.import_kind.name for rt in RECORD_TYPES if rt.import_kind}
    assert set(KINDS) == {PatientKind.name} | named
    for rt in RECORD_TYPES:
        if rt.import_kind:
            assert rt.import_kind.model is rt.model


def test_every_clinical_entry_has_a_create_service_and_a_section():
    for rt in RECORD_TYPES:
        if rt.entry:
            assert rt.create is not None and rt.section, rt.kind


def test_each_rule_series_of_patient_data_is_filled_by_one_record_type():
    series = [rt.series for rt in rule_series()]
    assert sorted(series) == sorted(set(series))
    scalars = {"sex", "died_on"}  # one value per patient, not a series of records
    assert set(series) == set(PatientData.__dataclass_fields__) - scalars
    for rt in rule_series():
        assert rt.point is not None, rt.kind


def test_evidence_keys_and_row_anchors_are_given_together():
    for rt in with_evidence():
        assert rt.row_anchor and rt.evidence_key.endswith("_ids"), rt.kind


def test_unknown_and_non_entry_kinds_are_not_pages():
    assert entry_type("nonsense") is None
    assert entry_type("flag") is None
    assert history_type("flag") is BY_KIND["flag"]
    assert history_type("ncsresult") is None
