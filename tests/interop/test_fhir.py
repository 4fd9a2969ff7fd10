"""export_fhir and import_fhir: every resource valid R4, codes and UCUM units, the round trip
into an empty database (twice) identical, and bad input refused naming entry and field."""

import copy
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from fhir.resources.R4B.bundle import Bundle

from tests.record_kinds import record_model
from tracker.interop import fhir_codes
from tracker.interop.fhir_in import MODELS
from tracker.models import ImportRun, Patient, WorklistEntry

MODELS_OF_RECORD = (
    Patient,
    record_model("treatment"),
    record_model("lab"),
    record_model("visit"),
    record_model("symptoms"),
    record_model("ncsresult"),
    record_model("imaging"),
    record_model("marrow"),
    record_model("event"),
    record_model("lesion"),
)


def export(path: Path, *args) -> dict:
    call_command("export_fhir", "--out", str(path), *args, stdout=io.StringIO())
    return json.loads(path.read_text())


def import_fhir(path: Path, *args) -> str:
    out = io.StringIO()
    call_command("import_fhir", str(path), *args, stdout=out, stderr=out)
    return out.getvalue()


def counts() -> list[int]:
    return [model.objects.count() for model in MODELS_OF_RECORD]


def wipe_record() -> None:
    """An empty database: no patient and no record (the clinic, configuration, stays)."""
    for model in reversed(MODELS_OF_RECORD):
        model.history.all().delete()

    record_model("flag").history.all().delete()
    record_model("flag").objects.all().delete()
    for model in (
        record_model("lesion"),
        record_model("event"),
        record_model("marrow"),
        record_model("ncsresult"),
        record_model("ncs"),
        record_model("imaging"),
        record_model("symptoms"),
        record_model("visit"),
        record_model("lab"),
        record_model("treatment"),
    ):
        model.objects.all().delete()
    WorklistEntry.objects.all().delete()  # the worklist's summary rows (derived from the flags)
    with connection.cursor() as cursor:  # the read audit is append-only: a new database has none
        cursor.execute("DELETE FROM tracker_patientread")
    Patient.objects.all().delete()


def test_every_resource_is_valid_r4_with_loinc_or_project_codes_and_ucum_units(example_record, tmp_path):
    document = export(tmp_path / "b.json")
    bundle = Bundle.model_validate(document)
    assert bundle.type == "collection"
    types = {entry.resource.get_resource_type() for entry in bundle.entry}
    assert types == {
        "Questionnaire",
        "Patient",
        "Observation",
        "QuestionnaireResponse",
        "Procedure",
        "MedicationStatement",
    }
    for entry in document["entry"]:
        resource = entry["resource"]
        MODELS[resource["resourceType"]].model_validate(resource)
        quantity = resource.get("valueQuantity")
        if quantity:
            assert quantity["system"] == "http://unitsofmeasure.org" and quantity["code"] in fhir_codes.FROM_UCUM
    labs = [e["resource"] for e in document["entry"] if e["resource"]["id"].startswith("lab-")]
    platelets = next(lab for lab in labs if lab["code"]["coding"][0]["code"] == "777-3")
    assert platelets["code"]["coding"][0]["system"] == "http://loinc.org"
    assert platelets["valueQuantity"]["code"] == "10*9/L" and platelets["valueQuantity"]["value"] == 520
    vegf = next(lab for lab in labs if lab["code"]["coding"][0]["code"] == "vegf")
    assert vegf["code"]["coding"][0]["system"] == "https://poems-tracker.example.org/fhir/CodeSystem/analyte"
    assert vegf["contained"][0]["type"]["coding"][0]["code"] in ("serum", "plasma")
    patient = next(e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == "Patient")
    assert patient["identifier"][0]["value"].startswith("IMP-")


def test_mrn_option_exports_one_patient(example_record, tmp_path):
    document = export(tmp_path / "b.json", "--mrn", "IMP-002")
    patients = [e for e in document["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert [p["resource"]["identifier"][0]["value"] for p in patients] == ["IMP-002"]
    with pytest.raises(CommandError, match="No patient with MRN 'nobody'"):
        export(tmp_path / "c.json", "--mrn", "nobody")


def test_round_trip_into_an_empty_database_twice_gives_the_same_bundle(example_record, tmp_path):
    before = counts()
    first = export(tmp_path / "first.json")
    wipe_record()
    assert counts() == [0] * len(MODELS_OF_RECORD)
    printed = import_fhir(tmp_path / "first.json")
    assert "imported: 3 created, 0 unchanged, 0 updated (patients)" in printed
    assert "imported: 12 created, 0 unchanged, 0 updated (labs)" in printed
    again = import_fhir(tmp_path / "first.json")
    assert "imported: 0 created, 12 unchanged, 0 updated (labs)" in again
    assert counts() == before
    assert export(tmp_path / "second.json") == first


def test_dry_run_saves_nothing(example_record, tmp_path):
    export(tmp_path / "b.json")
    wipe_record()
    printed = import_fhir(tmp_path / "b.json", "--dry-run")
    assert "(dry run: nothing saved)" in printed and Patient.objects.count() == 0
    assert ImportRun.objects.filter(file_name="b.json (FHIR)", dry_run=True).exists()


@pytest.fixture
def bundle(example_record, tmp_path):
    return export(tmp_path / "good.json")


def _first(document, prefix: str) -> tuple[int, dict]:
    for index, entry in enumerate(document["entry"]):
        if entry["resource"]["id"].startswith(prefix):
            return index, entry["resource"]
    raise AssertionError(prefix)


def _refused(tmp_path, content, *fragments) -> None:
    """The import fails naming every fragment, and nothing is saved."""
    path = tmp_path / "bad.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    before = counts()
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_fhir", str(path), stdout=out, stderr=out)
    for fragment in fragments:
        assert fragment in out.getvalue(), out.getvalue()
    assert counts() == before


def test_not_json_is_refused(db, tmp_path):
    _refused(tmp_path, "{not json", "file: the file is not JSON (line 1")


def test_not_a_bundle_is_refused(db, tmp_path):
    _refused(tmp_path, {"resourceType": "Patient"}, "field resourceType: expected a FHIR Bundle, found 'Patient'")


def test_unsupported_resource_type_is_refused(bundle, tmp_path):
    bad = copy.deepcopy(bundle)
    bad["entry"].append({"resource": {"resourceType": "Encounter", "id": "e1", "status": "finished"}})
    index = len(bad["entry"]) - 1
    _refused(tmp_path, bad, f"entry {index} (Encounter/e1), field resourceType: unsupported resource type 'Encounter'")


def test_unknown_loinc_code_is_refused(bundle, tmp_path):
    bad = copy.deepcopy(bundle)
    index, lab = _first(bad, "lab-")
    lab["code"]["coding"] = [{"system": "http://loinc.org", "code": "99999-9"}]
    _refused(tmp_path, bad, f"entry {index} (Observation/{lab['id']}), field code.coding: unknown code")


def test_unknown_unit_is_refused(bundle, tmp_path):
    bad = copy.deepcopy(bundle)
    index, lab = _first(bad, "lab-")
    lab["valueQuantity"]["code"] = "furlong"
    _refused(
        tmp_path, bad, f"entry {index} (Observation/{lab['id']}), field valueQuantity.code: unknown or wrong UCUM unit"
    )


def test_value_out_of_range_is_refused_naming_range_and_unit(bundle, tmp_path):
    bad = copy.deepcopy(bundle)
    index, lab = next(
        (i, e["resource"])
        for i, e in enumerate(bad["entry"])
        if e["resource"].get("valueQuantity", {}).get("code") == "g/L"
    )
    lab["valueQuantity"]["value"] = 99999
    _refused(tmp_path, bad, f"entry {index} (Observation/{lab['id']}), field valueQuantity.value:", "g/L")


def test_unknown_mrn_is_refused(bundle, tmp_path):
    bad = copy.deepcopy(bundle)
    index, lab = _first(bad, "lab-")
    lab["subject"] = {"identifier": {"value": "NOBODY-1"}}
    _refused(tmp_path, bad, f"entry {index} (Observation/{lab['id']}), field subject: unknown mrn 'NOBODY-1'")


def test_invalid_fhir_is_refused_naming_the_field(bundle, tmp_path):
    bad = copy.deepcopy(bundle)
    index, lab = _first(bad, "lab-")
    lab["effectiveDateTime"] = "2024-13-45"
    _refused(tmp_path, bad, f"entry {index} (Observation/{lab['id']}), field effectiveDateTime:")


def test_a_hospital_bundle_with_loinc_observations_imports(example_record, tmp_path):
    """A hospital system's Bundle: its own Patient ids, LOINC codes, no specimen, UCUM units."""
    hospital = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "resource": {
                    "resourceType": "Patient",
                    "id": "h1",
                    "identifier": [{"system": "urn:hospital", "value": "IMP-001"}],
                    "name": [{"family": "Example", "given": ["Alex"]}],
                    "gender": "female",
                    "birthDate": "1968-04-12",
                }
            },
            {
                "resource": {
                    "resourceType": "Observation",
                    "id": "o1",
                    "status": "final",
                    "code": {"coding": [{"system": "http://loinc.org", "code": "777-3"}]},
                    "subject": {"reference": "Patient/h1"},
                    "effectiveDateTime": "2025-01-07",
                    "valueQuantity": {
                        "value": 455,
                        "unit": "10^3/uL",
                        "system": "http://unitsofmeasure.org",
                        "code": "10*3/uL",
                    },
                }
            },
        ],
    }
    path = tmp_path / "hospital.json"
    path.write_text(json.dumps(hospital))
    printed = import_fhir(path)
    assert "imported: 1 created, 0 unchanged, 0 updated (labs)" in printed
    lab = record_model("lab").objects.get(analyte="platelets", collected_on="2025-01-07")
    assert (lab.specimen, lab.unit_as_entered, lab.value_canonical) == ("whole_blood", "10^3/uL", 455)
