"""export_fhir streams: the file written piece by piece is the Bundle fhir.resources builds in
memory for the same entries, text for text, and it parses as an R4 Bundle."""

import io
import json

from django.core.management import call_command
from fhir.resources.R4B.bundle import Bundle

from tracker.interop.fhir_bundle import bundle_entries, bundle_write
from tracker.models import Patient, RecordStatus


def in_memory(patients) -> str:
    """The construction export_fhir used before it streamed: every entry, then one Bundle."""
    bundle = Bundle(type="collection", entry=list(bundle_entries(patients)))
    return bundle.model_dump_json(exclude_none=True, indent=1)


def test_the_streamed_file_is_the_in_memory_bundle_and_parses(example_record, tmp_path):
    path = tmp_path / "b.json"
    call_command("export_fhir", "--out", str(path), stdout=io.StringIO())
    text = path.read_text(encoding="utf-8")
    assert text == in_memory(Patient.objects.filter(status=RecordStatus.FINAL))
    parsed = Bundle.model_validate(json.loads(text))
    assert parsed.type == "collection"
    assert parsed.model_dump_json(exclude_none=True, indent=1) == text


def test_one_patient_streamed_is_the_in_memory_bundle(example_record):
    pieces: list[str] = []
    patients = Patient.objects.filter(mrn="IMP-002")
    written = bundle_write(patients, pieces.append)
    assert len(pieces) > 2  # opening with the first entry, each further entry, closing
    assert "".join(pieces) == in_memory(patients)
    assert written == len("".join(pieces))


def test_no_patient_still_writes_a_valid_bundle(db):
    pieces: list[str] = []
    bundle_write(Patient.objects.none(), pieces.append)
    assert "".join(pieces) == in_memory(Patient.objects.none())
    assert [e.resource.get_resource_type() for e in Bundle.model_validate_json("".join(pieces)).entry] == [
        "Questionnaire"
    ]


def test_standard_output_gets_the_same_text(example_record, tmp_path):
    out = io.StringIO()
    call_command("export_fhir", "--out", "-", stdout=out)
    call_command("export_fhir", "--out", str(tmp_path / "b.json"), stdout=io.StringIO())
    assert out.getvalue() == (tmp_path / "b.json").read_text(encoding="utf-8") + "\n"
