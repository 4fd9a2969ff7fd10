"""--pseudonymise: no identifier anywhere, stable pseudonyms, exact intervals, a key required."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.record_kinds import record_model
from tracker.interop.pseudonym import MAX_OFFSET_DAYS, Pseudonymiser
from tracker.models import Patient


def export(out: Path, *args) -> None:
    call_command("export_research", "--out", str(out), *args, stdout=io.StringIO())


def rows(out: Path, name: str) -> list[dict]:
    with open(out / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def identifiers(staff_user) -> set[str]:
    """Every identifier of the test patients and users that must not leave in a pseudonymised export."""
    found = {staff_user.username, "nurse@example.org", "import"}
    for patient in Patient.objects.all():
        found |= {patient.mrn, patient.given_name, patient.family_name, patient.birth_date.isoformat()}
        found.add(patient.birth_date.strftime("%d/%m/%Y"))
    for notes in record_model("visit").objects.values_list("notes", flat=True):
        found.add(notes)
    for notes in record_model("treatment").objects.values_list("notes", flat=True):
        found.add(notes)
    found |= set(Patient.objects.values_list("symptom_reports__other_symptoms", flat=True))
    return {text for text in found if text and len(text) >= 4}


def test_no_identifier_appears_in_any_file(example_record, pseudonym_key, staff_user, tmp_path):
    staff_user.email = "nurse@example.org"
    staff_user.save()
    export(tmp_path / "x", "--pseudonymise")
    secrets = identifiers(staff_user)
    assert "IMP-001" in secrets and "Example" in secrets and "Baseline before Rd" in secrets
    for path in (tmp_path / "x").iterdir():
        text = path.read_text(encoding="utf-8")
        # Whole words, case as recorded: the surname 'Example' is not the code system's example.org.
        leaked = sorted(secret for secret in secrets if re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", text))
        assert not leaked, f"{path.name} holds {leaked}"


def test_pseudonyms_are_stable_across_exports_and_differ_with_the_key(
    example_record, pseudonym_key, settings, tmp_path
):
    export(tmp_path / "a", "--pseudonymise")
    export(tmp_path / "b", "--pseudonymise")
    assert (tmp_path / "a" / "observations.csv").read_bytes() == (tmp_path / "b" / "observations.csv").read_bytes()
    first = [row["patient_id"] for row in rows(tmp_path / "a", "patients")]
    assert len(set(first)) == 3 and all(pid.startswith("P") and len(pid) == 21 for pid in first)
    settings.POEMS_PSEUDONYM_KEY = "another-installation-secret-987654"
    export(tmp_path / "c", "--pseudonymise")
    assert not set(first) & {row["patient_id"] for row in rows(tmp_path / "c", "patients")}


def _dates_by_patient(out: Path) -> dict[int, list[datetime.date]]:
    """Observation dates per patient, in file order (the same order in both exports)."""
    by_patient: dict[str, list] = {}
    for row in rows(out, "observations"):
        by_patient.setdefault(row["patient_id"], []).append(datetime.date.fromisoformat(row["date"]))
    return list(by_patient.values())


def test_every_interval_within_a_patient_is_exact(example_record, pseudonym_key, tmp_path):
    export(tmp_path / "plain")
    export(tmp_path / "pseudo", "--pseudonymise")
    plain, pseudo = _dates_by_patient(tmp_path / "plain"), _dates_by_patient(tmp_path / "pseudo")
    assert len(plain) == len(pseudo) == 3
    for original, shifted in zip(plain, pseudo, strict=True):
        offsets = {(moved - day).days for day, moved in zip(original, shifted, strict=True)}
        assert len(offsets) == 1 and 0 < abs(offsets.pop()) <= MAX_OFFSET_DAYS
    plain_rows = rows(tmp_path / "plain", "observations")
    pseudo_rows = rows(tmp_path / "pseudo", "observations")
    assert [row["days_from_anchor"] for row in plain_rows] == [row["days_from_anchor"] for row in pseudo_rows]
    plain_t = rows(tmp_path / "plain", "treatments")
    pseudo_t = rows(tmp_path / "pseudo", "treatments")
    for a, b in zip(plain_t, pseudo_t, strict=True):
        span = datetime.date.fromisoformat(a["end_date"]) - datetime.date.fromisoformat(a["start_date"])
        assert datetime.date.fromisoformat(b["end_date"]) - datetime.date.fromisoformat(b["start_date"]) == span


def test_patients_keep_birth_year_and_sex_only(example_record, pseudonym_key, tmp_path):
    export(tmp_path / "x", "--pseudonymise")
    first = rows(tmp_path / "x", "patients")[0]
    assert first["birth_date"] == "" and first["birth_year"].isdigit() and first["sex"]


def test_pseudonymising_without_a_key_is_refused_when_debug_is_off(example_record, settings, tmp_path):
    settings.POEMS_PSEUDONYM_KEY, settings.DEBUG = "", False
    with pytest.raises(CommandError, match="POEMS_PSEUDONYM_KEY is not set"):
        export(tmp_path / "x", "--pseudonymise")
    assert not (tmp_path / "x" / "patients.csv").exists()


def test_offsets_are_never_zero_and_stay_within_the_bound():
    pseudonymiser = Pseudonymiser(b"k")
    offsets = {pseudonymiser.offset_days(f"MRN{n}") for n in range(2000)}
    assert 0 not in offsets and min(offsets) == -MAX_OFFSET_DAYS and max(offsets) == MAX_OFFSET_DAYS
