"""How many modules name each record model: the fewer, the cheaper a new or changed record type.

The goal (docs/ARCHITECTURE.md) is at most 6 modules per record model other than Patient:
its model module, `models/__init__`, its service, its importer, the registry and its factory;
everything else reaches it through `tracker.record_types`. The ceilings below are the counts
measured when the registry came in; they may only go down, towards GOAL.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOAL = 6
CEILINGS = {
    "LabResult": 28,
    "SymptomReport": 22,
    "Visit": 19,
    "Treatment": 18,
    "Flag": 18,
    "NerveConductionStudy": 13,
    "ImagingStudy": 11,
    "NerveConductionResult": 11,
    "DiagnosticChecklist": 9,
    "EngraftmentSyndrome": 8,
}


def _modules_naming(name: str) -> list[str]:
    pattern = re.compile(rf"\b{name}\b")
    return sorted(
        str(path.relative_to(ROOT))
        for top in ("tracker", "tests")
        for path in (ROOT / top).rglob("*.py")
        if "migrations" not in path.parts and path != Path(__file__) and pattern.search(path.read_text())
    )


def test_no_record_model_is_named_in_more_modules_than_its_ceiling():
    over = {
        name: len(found)
        for name, ceiling in CEILINGS.items()
        if len(found := _modules_naming(name)) > max(ceiling, GOAL)
    }
    assert over == {}, "name the record through tracker.record_types or a factory instead"
