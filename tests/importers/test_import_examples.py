"""docs/examples/<kind>.csv, the files shown to clinics, import cleanly in the documented order."""

import io
from pathlib import Path

from django.core.management import call_command

from tests.record_kinds import record_model
from tracker.importers import KINDS
from tracker.models import Patient

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"
ORDER = (
    *("patients", "treatments", "labs", "visits", "symptoms", "ncs", "imaging"),
    *("marrow", "events", "lesions", "medications", "referrals"),
)


def _import(kind: str) -> str:
    out = io.StringIO()
    call_command("import_csv", kind, str(EXAMPLES / f"{kind}.csv"), stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_there_is_one_example_per_kind():
    assert sorted(path.stem for path in EXAMPLES.glob("*.csv")) == sorted(KINDS) == sorted(ORDER)


def test_examples_import_cleanly_in_order_and_a_second_time_change_nothing(db, clinic):
    lines = [_import(kind) for kind in ORDER]
    assert all(line.startswith("imported: ") and line.endswith(" 0 unchanged, 0 updated") for line in lines), lines
    counts = [
        model.objects.count()
        for model in (
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
            record_model("medication"),
            record_model("referral"),
        )
    ]
    assert all(counts) and counts[0] == 3
    assert [_import(kind) for kind in ORDER] == [
        f"imported: 0 created, {count} unchanged, 0 updated" for count in counts
    ]
