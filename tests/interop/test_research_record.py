"""The research export carries the rest of the record: bone marrow, events, lesions and the
examination at a visit; the analytes of the whole record with their catalogue codes; nothing of
it entered in error; with --pseudonymise shifted dates and no free text."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from frictionless import validate

from tests.interop.conftest import NEW_ANALYTES
from tests.record_kinds import record_model
from tracker import catalogue
from tracker.models import RecordStatus

TABLES = ("marrow", "events", "lesions")


def export(out: Path, *args) -> str:
    stdout = io.StringIO()
    call_command("export_research", "--out", str(out), *args, stdout=stdout)
    return stdout.getvalue()


def rows(out: Path, name: str) -> list[dict]:
    with open(out / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("options", [(), ("--pseudonymise",)])
def test_record_tables_are_written_described_and_validated(whole_record, pseudonym_key, tmp_path, options):
    out = tmp_path / "x"
    printed = export(out, *options)
    assert "marrow.csv: 1 rows" in printed and "events.csv: 4 rows" in printed and "lesions.csv: 3 rows" in printed
    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    described = {(row["file"], row["column"]) for row in rows(out, "dictionary")}
    for name in TABLES:
        with open(out / f"{name}.csv", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert {(f"{name}.csv", column) for column in header} <= described
    size = next(row for row in rows(out, "dictionary") if (row["file"], row["column"]) == ("lesions.csv", "size_mm"))
    assert (size["unit"], size["min"], size["max"]) == ("mm", "0", "500")


def test_record_tables_hold_every_field_with_days_from_the_anchor(whole_record, tmp_path):
    export(tmp_path / "x")
    (marrow,) = rows(tmp_path / "x", "marrow")
    assert marrow == {
        "patient_id": "IMP-003", "biopsy_date": "2023-12-20", "plasma_cells_pct": "4.5", "clonality": "lambda",
        "method": "Trephine with CD138 and light-chain immunohistochemistry",
        "result": "Lambda-restricted plasma cells rimming lymphoid aggregates", "days_from_anchor": "",
    }  # fmt: skip
    events = {(row["patient_id"], row["event"]): row for row in rows(tmp_path / "x", "events")}
    dvt = events[("IMP-003", "dvt")]
    assert (dvt["onset_date"], dvt["grade"], dvt["resolved_on"]) == ("2024-03-02", "2", "2024-06-01")
    assert (dvt["ctcae_term"], dvt["treatment_related"], dvt["notes"]) == (
        "Thromboembolic event", "true", "Left calf; on lenalidomide"
    )  # fmt: skip
    assert events[("IMP-003", "admission")]["treatment_related"] == "false"
    death = events[("IMP-002", "death")]
    assert (death["onset_date"], death["cause"], death["treatment_related"]) == (
        "2024-02-11",
        "Pneumonia after a fall",
        "",
    )
    # IMP-001's frontline Rd ended 2024-09-30: the progression on 2025-03-03 is 154 days on.
    assert events[("IMP-001", "progression")]["days_from_anchor"] == "154"
    lesions = rows(tmp_path / "x", "lesions")
    assert [(row["study_date"], row["lesion"], row["site"], row["suv_max"]) for row in lesions] == [
        ("2024-01-08", "1", "Right iliac bone", "7.9"),
        ("2024-01-08", "2", "T9 vertebral body", "5.2"),
        ("2024-10-05", "1", "Right iliac bone", "3.1"),
    ]
    assert (lesions[0]["modality"], lesions[0]["appearance"], lesions[0]["size_mm"], lesions[0]["status"]) == (
        "pet_ct", "mixed", "26", "known"
    )  # fmt: skip


def test_examination_and_marrow_measures_are_observations_and_wide_columns(whole_record, tmp_path):
    export(tmp_path / "x")
    found = {
        (row["date"], row["item"]): row
        for row in rows(tmp_path / "x", "observations")
        if row["patient_id"] == "IMP-003"
    }
    mrc = found[("2024-01-08", "mrc_sum")]
    assert (mrc["domain"], mrc["value"], mrc["unit"], mrc["code"]) == ("visit", "52", "{score}", "visit_mrc_sum")
    assert found[("2024-01-08", "reflexes")]["value_code"] == "absent"
    assert (found[("2024-01-08", "oedema")]["value"], found[("2024-01-08", "organomegaly")]["value"]) == ("1", "0")
    assert ("2024-01-08", "papilloedema") not in found  # blank: not examined
    cells = found[("2023-12-20", "marrow_plasma_cells_pct")]
    assert (cells["domain"], cells["value"], cells["unit"]) == ("marrow", "4.5", "%")
    assert found[("2023-12-20", "marrow_clonality")]["value_code"] == "lambda"
    wide = {(row["patient_id"], row["date"]): row for row in rows(tmp_path / "x", "wide")}
    assert wide[("IMP-003", "2024-10-05")]["visit_vibration_sense"] == "normal"
    assert wide[("IMP-003", "2024-10-05")]["visit_mrc_sum"] == "56"
    assert wide[("IMP-003", "2023-12-20")]["marrow_plasma_cells_pct"] == "4.5"


def test_every_analyte_of_the_whole_record_leaves_with_its_catalogue_code_and_canonical_unit(whole_record, tmp_path):
    export(tmp_path / "x")
    labs = {
        (row["item"], row["specimen"]): row
        for row in rows(tmp_path / "x", "observations")
        if row["domain"] == "lab" and row["date"] == "2024-02-01"
    }
    expected = list(csv.DictReader(io.StringIO(NEW_ANALYTES)))
    assert len(labs) == len(expected) == 24
    for line in expected:
        spec = catalogue.get_spec(line["analyte"], line["specimen"])
        specimen = line["specimen"] or next(iter(catalogue.ANALYTES[line["analyte"]].specs))
        row = labs[(line["analyte"], specimen)]
        system = "http://loinc.org" if spec.loinc else "https://poems-tracker.example.org/fhir/CodeSystem/analyte"
        assert (row["code_system"], row["code"]) == (system, spec.loinc or line["analyte"]), line
        assert row["unit"] == spec.canonical_unit and row["unit_as_entered"] == (line["unit"] or spec.canonical_unit)
    assert labs[("alp", "serum")]["value"] == "90" and labs[("alp", "serum")]["value_as_entered"] == "1.5"
    assert labs[("total_protein", "csf")]["value"] == "0.95" and labs[("total_protein", "csf")]["unit"] == "g/L"
    assert labs[("ife", "urine_24h")]["value_code"] == "positive"


def test_records_entered_in_error_are_left_out(whole_record, tmp_path):
    for kind in ("marrow", "event", "lesion"):
        record_model(kind).objects.filter(pk=record_model(kind).objects.order_by("pk").first().pk).update(
            status=RecordStatus.ENTERED_IN_ERROR
        )
    export(tmp_path / "x")
    assert rows(tmp_path / "x", "marrow") == []
    assert len(rows(tmp_path / "x", "events")) == 3 and len(rows(tmp_path / "x", "lesions")) == 2
    assert not [row for row in rows(tmp_path / "x", "observations") if row["domain"] == "marrow"]


FREE_TEXT = {
    "marrow": ("method", "result"),
    "events": ("ctcae_term", "cause", "notes"),
    "lesions": ("site",),
}


def test_pseudonymised_tables_shift_every_date_and_hold_no_free_text(whole_record, pseudonym_key, tmp_path):
    export(tmp_path / "plain")
    export(tmp_path / "pseudo", "--pseudonymise")
    plain_obs, pseudo_obs = rows(tmp_path / "plain", "observations"), rows(tmp_path / "pseudo", "observations")
    offsets = {
        a["patient_id"]: (b["patient_id"], (date(b["date"]) - date(a["date"])).days)
        for a, b in zip(plain_obs, pseudo_obs, strict=True)
    }
    dated = {"marrow": ("biopsy_date",), "events": ("onset_date", "resolved_on"), "lesions": ("study_date",)}
    texts = set()
    for name, columns in FREE_TEXT.items():
        plain, pseudo = rows(tmp_path / "plain", name), rows(tmp_path / "pseudo", name)
        assert len(plain) == len(pseudo) > 0
        for a, b in zip(plain, pseudo, strict=True):
            pseudonym, offset = offsets[a["patient_id"]]
            assert b["patient_id"] == pseudonym and offset != 0
            for column in dated[name]:
                if a[column]:
                    assert (date(b[column]) - date(a[column])).days == offset
            assert b["days_from_anchor"] == a["days_from_anchor"]
            assert all(b[column] == "" for column in columns)
            texts |= {a[column] for column in columns if a[column]}
        assert [row.get("lesion") for row in plain] == [row.get("lesion") for row in pseudo]
    assert {"Pneumonia after a fall", "Died at home", "T9 vertebral body", "Thromboembolic event"} <= texts
    for path in (tmp_path / "pseudo").iterdir():
        text = path.read_text(encoding="utf-8")
        leaked = sorted(t for t in texts if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text))
        assert not leaked, f"{path.name} holds {leaked}"


def date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)
