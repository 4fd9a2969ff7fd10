"""Fixtures for the import tests: write a CSV and run `import_csv` on it like a clinic would."""

import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


@dataclass
class Outcome:
    ok: bool
    out: str
    err: str

    @property
    def problems(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.startswith(("row ", "file:"))]


@pytest.fixture
def csv_file(tmp_path):
    """Write `text` (str, or bytes written as they are) to a CSV file and return its path."""
    counter = iter(range(1, 10_000))

    def write(text, name: str = "") -> str:
        path = tmp_path / (name or f"upload-{next(counter)}.csv")
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="")
        return str(path)

    return write


@pytest.fixture
def run_import(csv_file, db):
    """run_import(kind, text, *options) -> Outcome; `text` may also be a path to an existing file."""

    def run(kind: str, text, *options: str) -> Outcome:
        path = text if isinstance(text, str) and text.endswith(".csv") and "\n" not in text else csv_file(text)
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("import_csv", kind, path, *options, stdout=out, stderr=err)
        except CommandError as exc:
            return Outcome(False, out.getvalue(), err.getvalue() + f"\nCommandError: {exc}")
        return Outcome(True, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def registered(run_import, clinic):
    """Two synthetic patients in the North clinic, registered through the import itself."""
    result = run_import(
        "patients",
        "mrn,given_name,family_name,birth_date,sex,clinic\n"
        "IMP-001,Alex,Example,1968-04-12,female,north\n"
        "IMP-002,Sam,Sample,1975-09-03,male,north\n",
    )
    assert result.ok, result.err
    return result
