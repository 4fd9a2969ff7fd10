"""export_fhir and import_fhir for the rest of the record: bone marrow, events (AdverseEvent,
Condition, death), lesions and the examination at a visit, and the analytes of the whole record
with their LOINC codes and UCUM units; every resource valid R4, the round trip into an empty
database identical, and bad input refused naming entry and field."""

import copy
import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from tests.interop.conftest import NEW_ANALYTES
from tests.interop.test_fhir import counts, export, import_fhir, wipe_record
from tests.interop.test_fhir_stream import in_memory
from tests.record_kinds import record_model
from tracker import catalogue
from tracker.interop import fhir_codes
from tracker.interop.fhir_in import MODELS
from tracker.models import FhirUpload, Patient, RecordStatus

ITEM = "https://poems-tracker.example.org/fhir/CodeSystem/item"
EVENT = "https://poems-tracker.example.org/fhir/CodeSystem/event"


def resources(document, kind: str = "") -> list[dict]:
    found = [entry["resource"] for entry in document["entry"]]
    return [r for r in found if r["resourceType"] == kind] if kind else found


def coded(document, system: str, code: str) -> list[dict]:
    return [r for r in resources(document) if {"system": system, "code": code}.items() <= _coding(r).items()]


def _coding(resource: dict) -> dict:
    concept = resource.get("code") or resource.get("event") or {}
    return (concept.get("coding") or [{}])[0]


def test_the_whole_record_is_valid_r4_with_project_codes_and_ucum_units(whole_record, tmp_path):
    document = export(tmp_path / "b.json")
    Bundle.model_validate(document)
    for resource in resources(document):
        MODELS[resource["resourceType"]].model_validate(resource)
        for part in resource.get("component", []):
            if "valueQuantity" in part:
                quantity = part["valueQuantity"]
                assert quantity["system"] == "http://unitsofmeasure.org" and quantity["code"] in fhir_codes.FROM_UCUM
    (marrow,) = coded(document, ITEM, "marrow_biopsy")
    cells = next(part for part in marrow["component"] if part["code"]["coding"][0]["code"] == "marrow_plasma_cells_pct")
    assert cells["valueQuantity"] == {"value": 4.5, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"}
    assert marrow["method"]["text"].startswith("Trephine") and marrow["note"][0]["text"].startswith("Lambda")
    (dvt,) = coded(document, EVENT, "dvt")
    assert dvt["resourceType"] == "AdverseEvent" and dvt["event"]["text"] == "Thromboembolic event"
    assert dvt["severity"]["coding"][0]["code"] == "moderate"
    grade = next(e for e in dvt["extension"] if e["url"].endswith("/ctcae-grade"))
    assert grade["valuePositiveInt"] == 2
    (progression,) = coded(document, EVENT, "progression")
    assert progression["resourceType"] == "Condition" and progression["onsetDateTime"] == "2025-03-03"
    assert progression["verificationStatus"]["coding"][0]["code"] == "confirmed"
    (death,) = coded(document, EVENT, "death")
    assert (death["resourceType"], death["valueString"]) == ("Observation", "Pneumonia after a fall")
    deceased = {p["identifier"][0]["value"]: p.get("deceasedDateTime") for p in resources(document, "Patient")}
    assert deceased == {"IMP-001": None, "IMP-002": "2024-02-11", "IMP-003": None}
    lesions = coded(document, ITEM, "imaging_lesion")
    assert sorted(lesion["bodySite"]["text"] for lesion in lesions) == [
        "Right iliac bone", "Right iliac bone", "T9 vertebral body"
    ]  # fmt: skip
    size = next(part for part in lesions[0]["component"] if part["code"]["coding"][0]["code"] == "lesion_size_mm")
    assert size["valueQuantity"]["code"] == "mm" and lesions[0]["method"]["coding"][0]["code"] == "pet_ct"
    (mrc,) = [r for r in coded(document, ITEM, "visit_mrc_sum") if r["effectiveDateTime"] == "2024-01-08"]
    assert mrc["valueQuantity"]["value"] == 52 and mrc["valueQuantity"]["code"] == "{score}"
    assert [r["valueBoolean"] for r in coded(document, ITEM, "visit_oedema")] == [True, False]


def test_every_analyte_of_the_whole_record_carries_its_loinc_code_and_ucum_unit(whole_record, tmp_path):
    document = export(tmp_path / "b.json")
    labs = [r for r in resources(document, "Observation") if r["id"].startswith("lab-")]
    found = {}
    for lab in labs:
        if lab["effectiveDateTime"] == "2024-02-01":
            found[(lab["code"]["coding"][0]["code"], lab["contained"][0]["type"]["coding"][0]["code"])] = lab
    for line in csv_lines():
        analyte = catalogue.ANALYTES[line["analyte"]]
        specimen = line["specimen"] or next(iter(analyte.specs))
        spec = analyte.specs[specimen]
        lab = found[(spec.loinc or line["analyte"], specimen)]
        system = "http://loinc.org" if spec.loinc else "https://poems-tracker.example.org/fhir/CodeSystem/analyte"
        assert lab["code"]["coding"][0]["system"] == system
        if spec.categorical:
            assert lab["valueCodeableConcept"]["coding"][0]["code"] == "positive"
        else:
            assert lab["valueQuantity"]["code"] == fhir_codes.UCUM[spec.canonical_unit], line
    assert found[("1742-6", "serum")]["valueQuantity"]["code"] == "U/L"
    assert found[("10501-5", "serum")]["valueQuantity"]["code"] == "[IU]/L"
    assert found[("total_protein", "csf")]["valueQuantity"] == {
        "value": 0.95, "unit": "g/L", "system": "http://unitsofmeasure.org", "code": "g/L"
    }  # fmt: skip


def csv_lines() -> list[dict]:
    return list(csv.DictReader(io.StringIO(NEW_ANALYTES)))


def test_round_trip_of_the_whole_record_into_an_empty_database_twice_gives_the_same_bundle(whole_record, tmp_path):
    before = counts()
    first = export(tmp_path / "first.json")
    wipe_record()
    assert counts() == [0] * len(before)
    printed = import_fhir(tmp_path / "first.json")
    for kind, created in (("marrow", 1), ("events", 4), ("lesions", 3), ("labs", 36)):
        assert f"imported: {created} created, 0 unchanged, 0 updated ({kind})" in printed, printed
    again = import_fhir(tmp_path / "first.json")
    for kind, unchanged in (("marrow", 1), ("events", 4), ("lesions", 3), ("visits", 6)):
        assert f"imported: 0 created, {unchanged} unchanged, 0 updated ({kind})" in again, again
    assert counts() == before
    assert export(tmp_path / "second.json") == first
    visit = record_model("visit").objects.get(patient__mrn="IMP-003", visit_date="2024-01-08")
    assert (visit.mrc_sum, visit.reflexes, visit.oedema, visit.papilloedema) == (52, "absent", True, None)
    death = record_model("event").objects.get(event="death")
    assert (death.cause, death.notes, death.treatment_related) == ("Pneumonia after a fall", "Died at home", None)


def test_a_deceased_date_alone_records_a_death(whole_record, tmp_path):
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": {
            "resourceType": "Patient", "id": "h1", "identifier": [{"system": "urn:hospital", "value": "IMP-001"}],
            "name": [{"family": "Example", "given": ["Alex"]}], "gender": "female", "birthDate": "1968-04-12",
            "deceasedDateTime": "2025-04-01",
        }}],
    }  # fmt: skip
    (tmp_path / "h.json").write_text(json.dumps(bundle))
    printed = import_fhir(tmp_path / "h.json")
    assert "imported: 1 created, 0 unchanged, 0 updated (events)" in printed
    death = record_model("event").objects.get(patient__mrn="IMP-001", event="death")
    assert death.onset_date.isoformat() == "2025-04-01"


@pytest.fixture
def bundle(whole_record, tmp_path):
    return export(tmp_path / "good.json")


def _refused(tmp_path, document, *fragments) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    before = counts()
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_fhir", str(path), stdout=out, stderr=out)
    for fragment in fragments:
        assert fragment in out.getvalue(), out.getvalue()
    assert counts() == before


def _find(document, system: str, code: str) -> tuple[int, dict]:
    for index, entry in enumerate(document["entry"]):
        if {"system": system, "code": code}.items() <= _coding(entry["resource"]).items():
            return index, entry["resource"]
    raise AssertionError(code)


def test_a_marrow_percentage_over_100_is_refused_naming_entry_field_range_and_unit(bundle, tmp_path):
    bad = copy.deepcopy(bundle)
    index, marrow = _find(bad, ITEM, "marrow_biopsy")
    marrow["component"][0]["valueQuantity"]["value"] = 140
    _refused(
        tmp_path, bad,
        f"entry {index} (Observation/{marrow['id']}), field component[0].valueQuantity.value: "
        "Plasma cells must be between 0.0 and 100.0 percent.",
    )  # fmt: skip


def test_a_ctcae_grade_outside_1_to_5_is_refused(bundle, tmp_path):
    bad = copy.deepcopy(bundle)
    index, dvt = _find(bad, EVENT, "dvt")
    next(e for e in dvt["extension"] if e["url"].endswith("/ctcae-grade"))["valuePositiveInt"] = 6
    _refused(
        tmp_path, bad,
        f"entry {index} (AdverseEvent/{dvt['id']}), field extension[ctcae-grade]: "
        "CTCAE grade must be between 1 and 5 (CTCAE v5).",
    )  # fmt: skip


def test_an_event_resolved_before_its_onset_is_refused(bundle, tmp_path):
    bad = copy.deepcopy(bundle)
    index, dvt = _find(bad, EVENT, "dvt")
    next(e for e in dvt["extension"] if e["url"].endswith("/resolved-on"))["valueDate"] = "2024-01-01"
    _refused(tmp_path, bad, f"entry {index} (AdverseEvent/{dvt['id']})", "must be on or after the onset date")


def test_a_lesion_size_in_a_wrong_unit_and_a_lesion_without_its_study_are_refused(bundle, tmp_path):
    bad = copy.deepcopy(bundle)
    index, lesion = _find(bad, ITEM, "imaging_lesion")
    size = next(p for p in lesion["component"] if p["code"]["coding"][0]["code"] == "lesion_size_mm")
    size["valueQuantity"]["code"] = "cm"
    _refused(tmp_path, bad, f"entry {index} (Observation/{lesion['id']}), field component[2].valueQuantity.code")
    orphan = copy.deepcopy(bundle)
    index, lesion = _find(orphan, ITEM, "imaging_lesion")
    lesion["effectiveDateTime"] = "2024-02-02"
    _refused(tmp_path, orphan, f"entry {index} (Observation/{lesion['id']})", "record the imaging study first")


def test_an_event_without_a_code_of_the_event_system_is_refused(bundle, tmp_path):
    bad = copy.deepcopy(bundle)
    index, dvt = _find(bad, EVENT, "dvt")
    dvt["event"]["coding"] = [{"system": "http://snomed.info/sct", "code": "128053003"}]
    _refused(tmp_path, bad, f"entry {index} (AdverseEvent/{dvt['id']}), field event.coding: expected a coding of")


def test_the_import_page_previews_and_saves_the_whole_record(whole_record, client, staff_user, tmp_path):
    before = counts()
    export(tmp_path / "b.json")
    wipe_record()
    client.force_login(staff_user)
    upload_file = SimpleUploadedFile("b.json", (tmp_path / "b.json").read_bytes())
    response = client.post(reverse("fhir_import_start"), {"file": upload_file})
    upload = FhirUpload.objects.get()
    page = client.get(response.url).content.decode()
    assert "AdverseEvent and Condition" in client.get(reverse("fhir_import_start")).content.decode()
    for kind, created in (("marrow", 1), ("events", 4), ("lesions", 3)):
        assert upload.counts[kind] == {"created": created, "unchanged": 0, "updated": 0}
        assert f'<tr><td>{kind}</td><td class="text-end">{created}</td>' in page
    assert not record_model("marrow").objects.exists()
    client.post(reverse("fhir_import_confirm", args=[upload.pk]))
    assert counts() == before


def test_the_whole_record_streams_as_the_in_memory_bundle(whole_record, tmp_path):
    path = tmp_path / "b.json"
    call_command("export_fhir", "--out", str(path), stdout=io.StringIO())
    text = path.read_text(encoding="utf-8")
    assert '"resourceType": "AdverseEvent"' in text and '"deceasedDateTime": "2024-02-11"' in text
    assert text == in_memory(Patient.objects.filter(status=RecordStatus.FINAL))
