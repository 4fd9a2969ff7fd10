"""The interop mappers are pure: no query inside them, and their parsing pieces stand alone."""

import io
import json
from decimal import Decimal

from django.core.management import call_command

from tests.record_kinds import record_model
from tracker.interop import fhir_out, record_tables, research, selectors
from tracker.interop.fhir_in import ncs_parts
from tracker.interop.pseudonym import Pseudonymiser, mask_for
from tracker.models import Patient


def test_mappers_run_without_a_query(whole_record, django_assert_num_queries):
    ids = list(Patient.objects.values_list("pk", flat=True))
    patients = list(Patient.objects.values(*selectors.FHIR_PATIENT_FIELDS))
    raw, full = selectors.records_for(ids), selectors.records_for(ids, fhir=True)
    with django_assert_num_queries(0):
        for patient in patients:
            mask = mask_for(patient["mrn"], Pseudonymiser(b"k"))
            observations = list(research.observation_rows(raw[patient["id"]], mask))
            list(research.wide_rows(observations, ["vegf_serum"], mask))
            list(research.treatment_rows(raw[patient["id"]].treatments, mask))
            days = research.patient_days(raw[patient["id"]], mask)
            for table in record_tables.TABLES:
                list(table.rows(raw[patient["id"]].tables.get(table.name, []), mask, days))
            fhir_out.patient_resources(patient, full[patient["id"]])


def test_records_are_read_in_one_query_per_kind_whatever_the_patient_count(whole_record, django_assert_num_queries):
    """Seven core kinds (labs, visits, symptoms, NCS, imaging, treatments, flags) and the three
    record tables (marrow, events, lesions)."""
    ids = list(Patient.objects.values_list("pk", flat=True))
    with django_assert_num_queries(10):
        found = selectors.records_for(ids)
    assert {name for mine in found.values() for name in mine.tables} == {"marrow", "events", "lesions"}


def test_ncs_codes_parse_back_into_nerve_side_site_kind_and_measure():
    assert ncs_parts("motor_peroneal_right_fibular_head_cmap_amp_mv") == {
        "kind": "motor", "nerve": "peroneal", "side": "right", "site": "fibular_head", "measure": "cmap_amp_mv"
    }  # fmt: skip
    assert ncs_parts("sensory_superficial_peroneal_left_distal_absent")["nerve"] == "superficial_peroneal"
    assert ncs_parts("motor_elbow_left_wrist_cv_ms") is None


def test_a_mass_loinc_code_imports_into_the_moles_analyte(example_record, tmp_path):
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Observation", "id": "c1", "status": "final",
                          "code": {"coding": [{"system": "http://loinc.org", "code": "2160-0"}]},
                          "subject": {"identifier": {"value": "IMP-002"}}, "effectiveDateTime": "2025-02-03",
                          "valueQuantity": {"value": 1.1, "unit": "mg/dL", "system": "http://unitsofmeasure.org",
                                            "code": "mg/dL"}}},
        ],
    }  # fmt: skip
    (tmp_path / "c.json").write_text(json.dumps(bundle))
    call_command("import_fhir", str(tmp_path / "c.json"), stdout=io.StringIO())
    lab = record_model("lab").objects.get(analyte="creatinine", collected_on="2025-02-03")
    assert (lab.unit_canonical, lab.value_canonical, lab.loinc) == ("umol/L", Decimal("97.24"), "14682-9")
