"""The documented example files, imported: three synthetic patients with every kind of record."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"
ORDER = ("patients", "treatments", "labs", "visits", "symptoms", "ncs", "imaging")


@pytest.fixture
def example_record(db, clinic):
    for kind in ORDER:
        call_command("import_csv", kind, str(EXAMPLES / f"{kind}.csv"), stdout=io.StringIO(), stderr=io.StringIO())
    return EXAMPLES


@pytest.fixture
def pseudonym_key(settings):
    settings.POEMS_PSEUDONYM_KEY = "test-installation-secret-0123456789"
    return settings.POEMS_PSEUDONYM_KEY
