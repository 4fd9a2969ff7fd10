"""export_research: every file, a data package Frictionless accepts, anchors, entered in error,
the folder guard and the clinic option."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from frictionless import validate

from tests.record_kinds import record_model
from tracker.models import ExportRun, RecordStatus

FILES = ("patients", "observations", "treatments", "flags", "wide", "dictionary", "marrow", "events", "lesions")


def export(out: Path, *args) -> str:
    stdout = io.StringIO()
    call_command("export_research", "--out", str(out), *args, stdout=stdout)
    return stdout.getvalue()


def rows(out: Path, name: str) -> list[dict]:
    with open(out / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("options", [(), ("--pseudonymise",)])
def test_export_writes_every_file_and_frictionless_validates_the_package(
    example_record, pseudonym_key, tmp_path, options
):
    out = tmp_path / "export"
    printed = export(out, *options)
    assert sorted(path.name for path in out.iterdir()) == sorted([f"{n}.csv" for n in FILES] + ["datapackage.json"])
    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(rows(out, "patients")) == 3
    assert "observations.csv: 88 rows" in printed
    run = ExportRun.objects.get()
    assert run.counts["patients"] == 3 and run.pseudonymised == bool(options) and run.source == "command"


def test_observations_hold_every_kind_with_canonical_and_entered_units(example_record, tmp_path):
    export(tmp_path / "x")
    observations = rows(tmp_path / "x", "observations")
    assert {row["domain"] for row in observations} == {"lab", "visit", "symptom", "ncs", "imaging"}
    haemoglobin = next(row for row in observations if row["item"] == "hemoglobin")
    assert (haemoglobin["value"], haemoglobin["unit"]) == ("131", "g/L")
    assert (haemoglobin["value_as_entered"], haemoglobin["unit_as_entered"]) == ("13.1", "g/dL")
    assert (haemoglobin["code_system"], haemoglobin["code"]) == ("http://loinc.org", "718-7")
    vegf = next(row for row in observations if row["item"] == "vegf")
    assert vegf["code_system"] == "https://poems-tracker.example.org/fhir/CodeSystem/analyte"
    assert vegf["specimen"] in ("serum", "plasma")


def test_days_from_anchor_count_from_the_latest_anchor_on_or_before_the_date(example_record, tmp_path):
    export(tmp_path / "x")
    observations = [row for row in rows(tmp_path / "x", "observations") if row["patient_id"] == "IMP-001"]
    # IMP-001's frontline Rd ended 2024-09-30 (its response anchor); nothing before it has one.
    report = next(row for row in observations if row["date"] == "2024-11-20" and row["domain"] == "symptom")
    assert report["days_from_anchor"] == "51"
    baseline = next(row for row in observations if row["date"] == "2023-12-15")
    assert baseline["days_from_anchor"] == ""


def test_values_entered_in_error_are_left_out(example_record, tmp_path):
    wrong = record_model("lab").objects.filter(analyte="hemoglobin").first()
    record_model("lab").objects.filter(pk=wrong.pk).update(status=RecordStatus.ENTERED_IN_ERROR)
    export(tmp_path / "x")
    assert not [row for row in rows(tmp_path / "x", "observations") if row["item"] == "hemoglobin"]


def test_wide_has_one_row_per_patient_and_date(example_record, tmp_path):
    export(tmp_path / "x")
    wide = rows(tmp_path / "x", "wide")
    keys = [(row["patient_id"], row["date"]) for row in wide]
    assert len(keys) == len(set(keys))
    first = next(row for row in wide if row["patient_id"] == "IMP-001" and row["date"] == "2023-12-15")
    assert first["vegf_serum"] == "4800" and first["visit_onls_leg"] == "4" and first["ife_serum"] == "positive"


def test_dictionary_describes_every_column_of_every_file(example_record, tmp_path):
    export(tmp_path / "x")
    described = {(row["file"], row["column"]) for row in rows(tmp_path / "x", "dictionary")}
    for name in FILES:
        with open(tmp_path / "x" / f"{name}.csv", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert {(f"{name}.csv", column) for column in header} <= described


def test_a_folder_that_is_not_empty_is_refused_unless_forced(example_record, tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(CommandError, match="not empty.*--force"):
        export(tmp_path)
    assert not (tmp_path / "patients.csv").exists()
    export(tmp_path, "--force")
    assert (tmp_path / "patients.csv").exists() and (tmp_path / "notes.txt").exists()


def test_clinic_option_exports_only_that_clinic(example_record, tmp_path, other_clinic):
    export(tmp_path / "x", "--clinic", other_clinic.code)
    assert rows(tmp_path / "x", "patients") == []
    with pytest.raises(CommandError, match="unknown clinic code 'nowhere'; allowed: "):
        export(tmp_path / "y", "--clinic", "nowhere")
