"""The public test vectors of POEMS-DOMAIN.md section 8, loaded the way a clinic would load them
(CSV files through `import_csv`) and evaluated through `flags --format json --as-of`.

The expected flags, status and responses are the ones the pure-rule tests pin
(tests/rules/test_rules_vectors.py, EXPECTED): one set of expectations, checked on both paths.
"""

import importlib
import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

VECTORS = Path(__file__).parent / "vectors"
KINDS_IN_ORDER = ("patients", "treatments", "labs", "visits", "ncs", "imaging")
RULES_TESTS = Path(__file__).parents[1] / "rules"


def _rule_expectations():
    """EXPECTED and NO_RESPONSE of the rule tests, importable beside them (no __init__ there)."""
    if str(RULES_TESTS) not in sys.path:
        sys.path.insert(0, str(RULES_TESTS))
    module = importlib.import_module("test_rules_vectors")
    return module.EXPECTED, module.NO_RESPONSE


EXPECTED, NO_RESPONSE = _rule_expectations()
CASES = [(row[0].__name__.upper(), *row[1:]) for row in EXPECTED]


@pytest.fixture
def vectors_loaded(db, clinic):
    for kind in KINDS_IN_ORDER:
        out = io.StringIO()
        call_command("import_csv", kind, str(VECTORS / f"{kind}.csv"), stdout=out, stderr=io.StringIO())
        assert out.getvalue().startswith("imported: ") and " 0 unchanged, 0 updated" in out.getvalue()


def flags_json(mrn: str, as_of: str) -> dict:
    out = io.StringIO()
    call_command("flags", "--format", "json", "--as-of", as_of, "--mrn", mrn, stdout=out)
    report = json.loads(out.getvalue())
    assert report["as_of"] == as_of
    (patient,) = report["patients"]
    return patient


def test_every_vector_of_the_rule_tests_is_covered():
    assert {mrn for mrn, *_ in CASES} == {"TV01", "TV04", "TV05", "TV06", "TV07", "TV08"}


@pytest.mark.parametrize(("mrn", "as_of", "flags", "status", "responses"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_imported_vector_gives_the_expected_flags_status_and_response(
    vectors_loaded, mrn, as_of, flags, status, responses
):
    patient = flags_json(mrn, as_of)
    found = {(f["rule"], f["severity"], f["raised_on"], f["status"]) for f in patient["flags"]}
    assert found == flags
    assert patient["status"] == status
    assert patient["response"] == {"vegf": "not_evaluable", **NO_RESPONSE, **responses}


def test_reimporting_the_vectors_changes_nothing(vectors_loaded):
    for kind in KINDS_IN_ORDER:
        out = io.StringIO()
        call_command("import_csv", kind, str(VECTORS / f"{kind}.csv"), stdout=out)
        assert out.getvalue().startswith("imported: 0 created, ")
        assert out.getvalue().strip().endswith(" unchanged, 0 updated")
