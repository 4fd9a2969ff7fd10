"""Medications and referrals in the exports: `medications.csv` and `referrals.csv` of the research
export, `MedicationStatement` and `ServiceRequest` in the FHIR Bundle, and back through the
`medications` and `referrals` CSV kinds, bad input refused naming entry and field."""

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.interop.test_fhir import counts, export, import_fhir, wipe_record
from tests.interop.test_research_record import export as export_research
from tests.interop.test_research_record import rows
from tests.record_kinds import record_model
from tracker.models import RecordStatus

DRUG = "https://poems-tracker.example.org/fhir/CodeSystem/drug"
DRUG_CLASS = "https://poems-tracker.example.org/fhir/CodeSystem/drug-class"
SERVICE = "https://poems-tracker.example.org/fhir/CodeSystem/referral-service"
UCUM = "http://unitsofmeasure.org"
HEPARIN = """mrn,drug,drug_name,start_date,stop_date,purpose,dose,dose_unit,frequency,notes
IMP-001,lmwh,,2024-11-01,2024-11-28,,5000,units,once daily,
IMP-001,dexamethasone,,2024-12-02,,,500,microgram,,
"""


@pytest.fixture
def supportive(whole_record, tmp_path):
    """The whole record, with a dose in international units and one in micrograms."""
    (tmp_path / "heparin.csv").write_text(HEPARIN, encoding="utf-8")
    call_command("import_csv", "medications", str(tmp_path / "heparin.csv"), stdout=io.StringIO())
    return whole_record


def _by_drug(document) -> dict[str, dict]:
    found = {}
    for entry in document["entry"]:
        resource = entry["resource"]
        coding = (resource.get("medicationCodeableConcept") or {}).get("coding") or [{}]
        if resource["resourceType"] == "MedicationStatement" and coding[0].get("system") == DRUG:
            found[coding[0]["code"]] = resource
    return found


def _by_service(document) -> dict[str, dict]:
    return {
        entry["resource"]["code"]["coding"][0]["code"]: entry["resource"]
        for entry in document["entry"]
        if entry["resource"]["resourceType"] == "ServiceRequest"
    }


def _extension(resource: dict, name: str):
    found = [e for e in resource.get("extension", []) if e["url"].endswith(f"/{name}")]
    return found[0] if found else None


def test_medications_and_referrals_files_hold_every_field(supportive, tmp_path):
    export_research(tmp_path / "x")
    medications = {row["drug"]: row for row in rows(tmp_path / "x", "medications")}
    assert medications["pregabalin"] == {
        "patient_id": "IMP-003", "drug": "pregabalin", "drug_name": "", "purpose": "neuropathic_pain", "dose": "75",
        "dose_unit": "mg", "frequency": "twice daily", "start_date": "2024-01-15", "stop_date": "",
        "notes": "Burning pain in both feet", "days_from_anchor": "",
    }  # fmt: skip
    assert (medications["apixaban"]["purpose"], medications["apixaban"]["stop_date"]) == ("anticoagulant", "2024-09-02")
    other = medications["other"]
    assert (other["drug_name"], other["purpose"], other["dose"], other["dose_unit"]) == (
        "Capsaicin 8% patch", "neuropathic_pain", "", ""
    )  # fmt: skip
    assert (medications["lmwh"]["dose"], medications["lmwh"]["dose_unit"]) == ("5000", "units")
    assert (medications["dexamethasone"]["dose"], medications["dexamethasone"]["dose_unit"]) == ("500", "microgram")
    referrals = {row["service"]: row for row in rows(tmp_path / "x", "referrals")}
    assert referrals["rehabilitation"] == {
        "patient_id": "IMP-003", "service": "rehabilitation", "service_name": "", "referred_on": "2024-01-20",
        "status": "seen", "status_on": "2024-02-14", "notes": "Gait and balance training", "days_from_anchor": "",
    }  # fmt: skip
    assert (referrals["pain"]["status"], referrals["pain"]["status_on"]) == ("discharged", "2024-08-01")
    assert (referrals["other"]["service_name"], referrals["other"]["status"]) == ("Orthotics clinic", "requested")
    dictionary = {(row["file"], row["column"]): row for row in rows(tmp_path / "x", "dictionary")}
    dose = dictionary[("medications.csv", "dose")]
    assert (dose["type"], dose["min"], dose["max"]) == ("number", "0.01", "100000") and "dose_unit" in dose[
        "description"
    ]
    assert dictionary[("medications.csv", "dose_unit")]["codes"] == "mg;microgram;units"
    assert dictionary[("referrals.csv", "status")]["codes"] == "requested;seen;declined;discharged"
    package = json.loads((tmp_path / "x" / "datapackage.json").read_text())
    names = {resource["name"]: resource for resource in package["resources"]}
    fields = {field["name"]: field for field in names["medications"]["schema"]["fields"]}
    assert fields["dose_unit"]["constraints"]["enum"] == ["mg", "microgram", "units"]
    assert [field["name"] for field in names["referrals"]["schema"]["fields"]][-1] == "days_from_anchor"


def test_medications_and_referrals_entered_in_error_are_left_out(supportive, tmp_path):
    for kind in ("medication", "referral"):
        model = record_model(kind)
        model.objects.filter(pk=model.objects.order_by("pk").first().pk).update(status=RecordStatus.ENTERED_IN_ERROR)
    export_research(tmp_path / "x")
    assert len(rows(tmp_path / "x", "medications")) == 4 and len(rows(tmp_path / "x", "referrals")) == 2
    document = export(tmp_path / "b.json")
    assert len(_by_drug(document)) == 4 and len(_by_service(document)) == 2


def test_a_medication_is_a_medication_statement_with_its_dose_in_ucum(supportive, tmp_path):
    medications = _by_drug(export(tmp_path / "b.json"))
    pregabalin = medications["pregabalin"]
    assert pregabalin["status"] == "active" and pregabalin["effectivePeriod"] == {"start": "2024-01-15"}
    assert pregabalin["medicationCodeableConcept"] == {
        "coding": [{"system": DRUG, "code": "pregabalin", "display": "Pregabalin"}], "text": "Pregabalin"
    }  # fmt: skip
    assert pregabalin["category"]["coding"][0] == {
        "system": DRUG_CLASS, "code": "neuropathic_pain", "display": "Neuropathic pain"
    }  # fmt: skip
    (dosage,) = pregabalin["dosage"]
    assert dosage["text"] == "twice daily"
    assert dosage["doseAndRate"][0]["doseQuantity"] == {"value": 75, "unit": "mg", "system": UCUM, "code": "mg"}
    assert pregabalin["note"][0]["text"] == "Burning pain in both feet"
    apixaban = medications["apixaban"]
    assert apixaban["status"] == "completed" and apixaban["effectivePeriod"]["end"] == "2024-09-02"
    other = medications["other"]
    assert other["medicationCodeableConcept"]["text"] == "Capsaicin 8% patch" and "dosage" not in other
    heparin = medications["lmwh"]["dosage"][0]["doseAndRate"][0]["doseQuantity"]
    assert heparin == {"value": 5000, "unit": "IU", "system": UCUM, "code": "[IU]"}
    steroid = medications["dexamethasone"]["dosage"][0]
    assert steroid["doseAndRate"][0]["doseQuantity"]["code"] == "ug" and "text" not in steroid


def test_a_referral_is_a_service_request_with_its_status_mapped(supportive, tmp_path):
    referrals = _by_service(export(tmp_path / "b.json"))
    rehabilitation = referrals["rehabilitation"]
    assert (rehabilitation["status"], rehabilitation["intent"], rehabilitation["authoredOn"]) == (
        "completed", "order", "2024-01-20"
    )  # fmt: skip
    assert rehabilitation["occurrenceDateTime"] == "2024-02-14"
    assert _extension(rehabilitation, "referral-status")["valueCode"] == "seen"
    assert _extension(rehabilitation, "referral-status-date")["valueDate"] == "2024-02-14"
    assert rehabilitation["code"]["coding"][0] == {
        "system": SERVICE, "code": "rehabilitation", "display": "Rehabilitation / physiotherapy"
    }  # fmt: skip
    pain = referrals["pain"]
    assert (pain["status"], _extension(pain, "referral-status")["valueCode"]) == ("completed", "discharged")
    assert "occurrenceDateTime" not in pain and "note" not in pain
    other = referrals["other"]
    assert (other["status"], other["code"]["text"], _extension(other, "referral-status-date")) == (
        "active", "Orthotics clinic", None
    )  # fmt: skip


def test_medications_and_referrals_come_back_unchanged_from_an_empty_database(supportive, tmp_path):
    before = counts()
    first = export(tmp_path / "first.json")
    wipe_record()
    printed = import_fhir(tmp_path / "first.json")
    assert "imported: 5 created, 0 unchanged, 0 updated (medications)" in printed, printed
    assert "imported: 3 created, 0 unchanged, 0 updated (referrals)" in printed, printed
    assert "imported: 4 created, 0 unchanged, 0 updated (treatments)" in printed, printed
    assert counts() == before
    assert export(tmp_path / "second.json") == first
    medication = record_model("medication")
    capsaicin = medication.objects.get(drug="other")
    assert (capsaicin.drug_name, capsaicin.purpose, capsaicin.dose, capsaicin.stop_date.isoformat()) == (
        "Capsaicin 8% patch", "neuropathic_pain", None, "2024-05-20"
    )  # fmt: skip
    heparin = medication.objects.get(drug="lmwh")
    assert (heparin.dose, heparin.dose_unit, heparin.frequency) == (5000, "units", "once daily")
    pain = record_model("referral").objects.get(service="pain")
    assert (pain.referral_status, pain.status_on.isoformat()) == ("discharged", "2024-08-01")


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


def _entry(document, resource: dict) -> int:
    return next(i for i, entry in enumerate(document["entry"]) if entry["resource"]["id"] == resource["id"])


@pytest.fixture
def bundle(supportive, tmp_path):
    return export(tmp_path / "good.json")


def test_a_dose_outside_its_units_range_is_refused_naming_entry_field_range_and_unit(bundle, tmp_path):
    bad = copy.deepcopy(bundle)
    pregabalin = _by_drug(bad)["pregabalin"]
    pregabalin["dosage"][0]["doseAndRate"][0]["doseQuantity"]["value"] = 7500
    _refused(
        tmp_path, bad,
        f"entry {_entry(bad, pregabalin)} (MedicationStatement/{pregabalin['id']}), "
        "field dosage[0].doseAndRate[0].doseQuantity.value: Dose must be between 0.01 and 5000 mg.",
    )  # fmt: skip


def test_a_dose_in_a_unit_that_is_not_a_dose_unit_is_refused(bundle, tmp_path):
    bad = copy.deepcopy(bundle)
    pregabalin = _by_drug(bad)["pregabalin"]
    pregabalin["dosage"][0]["doseAndRate"][0]["doseQuantity"]["code"] = "g"
    _refused(
        tmp_path, bad,
        f"entry {_entry(bad, pregabalin)} (MedicationStatement/{pregabalin['id']}), "
        "field dosage[0].doseAndRate[0].doseQuantity.code: unknown or wrong UCUM unit 'g' for dose; "
        "allowed: mg, ug, [IU]",
    )  # fmt: skip


def test_a_status_date_before_the_referral_date_is_refused(bundle, tmp_path):
    bad = copy.deepcopy(bundle)
    rehabilitation = _by_service(bad)["rehabilitation"]
    _extension(rehabilitation, "referral-status-date")["valueDate"] = "2023-12-01"
    _refused(
        tmp_path, bad,
        f"entry {_entry(bad, rehabilitation)} (ServiceRequest/{rehabilitation['id']}), "
        "field extension[referral-status-date]: Status date (2023-12-01) must be on or after the referral date "
        "(2024-01-20).",
    )  # fmt: skip


def test_a_referral_without_a_service_code_and_an_other_drug_without_its_name_are_refused(bundle, tmp_path):
    bad = copy.deepcopy(bundle)
    pain = _by_service(bad)["pain"]
    pain["code"]["coding"] = [{"system": "http://snomed.info/sct", "code": "0"}]
    _refused(
        tmp_path, bad,
        f"entry {_entry(bad, pain)} (ServiceRequest/{pain['id']}), field code.coding: expected a coding of {SERVICE}",
    )  # fmt: skip
    unnamed = copy.deepcopy(bundle)
    other = _by_drug(unnamed)["other"]
    del other["medicationCodeableConcept"]["text"]
    _refused(tmp_path, unnamed, f"entry {_entry(unnamed, other)} (MedicationStatement/", "Name the drug")


def test_a_hospital_service_request_without_our_extensions_reads_its_status(supportive, tmp_path):
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": {
            "resourceType": "ServiceRequest", "id": "r1", "status": "revoked", "intent": "order",
            "code": {"coding": [{"system": SERVICE, "code": "palliative"}]},
            "subject": {"identifier": {"value": "IMP-002"}}, "authoredOn": "2024-01-05",
            "occurrenceDateTime": "2024-01-09",
        }}, {"resource": {
            "resourceType": "ServiceRequest", "id": "r2", "status": "on-hold", "intent": "order",
            "code": {"coding": [{"system": SERVICE, "code": "pain"}]},
            "subject": {"identifier": {"value": "IMP-002"}}, "authoredOn": "2024-01-06",
        }}],
    }  # fmt: skip
    _refused(
        tmp_path, bundle,
        "entry 1 (ServiceRequest/r2), field status: status 'on-hold' does not say where the referral stands",
    )  # fmt: skip
    bundle["entry"].pop()
    (tmp_path / "h.json").write_text(json.dumps(bundle))
    assert "imported: 1 created, 0 unchanged, 0 updated (referrals)" in import_fhir(tmp_path / "h.json")
    referral = record_model("referral").objects.get(patient__mrn="IMP-002")
    assert (referral.service, referral.referral_status, referral.status_on.isoformat()) == (
        "palliative", "declined", "2024-01-09"
    )  # fmt: skip
