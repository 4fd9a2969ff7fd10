"""How many modules name each record model: the fewer, the cheaper a new or changed record type.

The goal (docs/ARCHITECTURE.md) is at most 6 modules per record model other than Patient:
its model module, `models/__init__`, its service, its form, its importer and the registry;
tests and views reach it through `tracker.record_types` (`tests/record_kinds.record_model`).
The ceilings below are the counts measured when the registry came in (they were 8 to 29);
they may only go down, towards GOAL. A new test that names a model directly fails here: use
`record_model("lab")` or a factory instead.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOAL = 6
CEILINGS = {
    # Above GOAL: the batch loader of rule inputs (selectors/rule_data.py), which sits below the
    # registry, the worklist's subqueries, the demo data and a chart label ("Treatment").
    "LabResult": 7,
    "Treatment": 9,
    "Visit": 8,
    "ImagingStudy": 7,
    "SymptomReport": 9,
    "NerveConductionResult": 7,
    "Flag": 7,
    "NerveConductionStudy": GOAL,
    "DiagnosticChecklist": GOAL,
    "EngraftmentSyndrome": GOAL,
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
