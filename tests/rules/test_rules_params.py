"""RuleParams: spec defaults, settings overrides, JSON snapshot; the engine's purity."""

from __future__ import annotations

import ast
import json
from decimal import Decimal
from pathlib import Path

import pytest

from tracker.rules import RULES_VERSION, RuleParams

RULES_DIR = Path(__file__).resolve().parents[2] / "tracker" / "rules"

SPEC_DEFAULTS = {
    "CFG_VEGF_ULN_PLASMA": "96.2",
    "CFG_VEGF_ULN_SERUM": "1000",
    "CFG_VEGF_PR_DROP_PCT": "50",
    "CFG_VEGF_RISE_PCT": "50",
    "CFG_CONFIRM_N": 2,
    "CFG_CONFIRM_MIN_DAYS": 28,
    "CFG_RESPONSE_WINDOW_D": 90,
    "CFG_BASELINE_LOOKBACK_D": 90,
    "CFG_MSPIKE_MEASURABLE_G_DL": "1.0",
    "CFG_MSPIKE_PD_REL_PCT": "25",
    "CFG_MSPIKE_PD_ABS_G_DL": "0.5",
    "CFG_FLC_PD_ABS_MG_L": "100",
    "CFG_PLT_ULN": "400",
    "CFG_HB_ULN_MALE": "180",
    "CFG_HB_ULN_FEMALE": "160",
    "CFG_HCT_ULN_MALE": "0.51",
    "CFG_HCT_ULN_FEMALE": "0.47",
    "CFG_ONLS_CHANGE_POINTS": 1,
    "CFG_INCAT_CHANGE_POINTS": 1,
    "CFG_NCS_CMAP_DROP_PCT": "30",
    "CFG_NCS_CV_DROP_PCT": "20",
    "CFG_SYMPTOM_RISE_POINTS": 2,
    "CFG_WEIGHT_CHANGE_PCT": "5",
    "CFG_WEIGHT_WINDOW_D": 90,
    "CFG_MULTIDOMAIN_WINDOW_D": 180,
    "CFG_NEUROTOXIC_WASHOUT_D": 90,
    "CFG_SURV_INTERVAL_EARLY_M": 3,
    "CFG_SURV_EARLY_YEARS": 2,
    "CFG_SURV_INTERVAL_LATE_M": 6,
}


def test_every_spec_setting_has_its_default():
    snapshot = RuleParams().as_dict()
    assert {key: snapshot[key] for key in SPEC_DEFAULTS} == SPEC_DEFAULTS


def test_snapshot_is_json_safe_and_round_trips():
    snapshot = RuleParams().as_dict()
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert RuleParams.from_mapping(snapshot) == RuleParams()


def test_every_setting_states_its_evidence_status():
    described = RuleParams.describe()
    assert {row["key"] for row in described} == set(RuleParams().as_dict())
    assert {row["status"] for row in described} <= {"SOURCED", "UNVERIFIED", "PLACEHOLDER"}
    assert all(row["note"] for row in described)


def test_overrides_keep_decimals_exact():
    params = RuleParams.from_mapping({"CFG_VEGF_ULN_SERUM": 1040, "CFG_VEGF_RISE_PCT": 0.1})
    assert params.vegf_uln_serum == Decimal("1040")
    assert params.vegf_rise_pct == Decimal("0.1")
    assert params.confirm_n == 2


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"CFG_VEGF_RISE": 50}, "unknown rule settings: CFG_VEGF_RISE"),
        ({"CFG_CONFIRM_N": 1.5}, "whole number"),
        ({"CFG_CONFIRM_N": 0}, "at least 1"),
        ({"CFG_PLT_ULN": "abc"}, "must be a number"),
        ({"CFG_PLT_ULN": -1}, "non-negative"),
        ({"CFG_PLT_ULN": True}, "must be a number"),
    ],
)
def test_bad_settings_are_rejected(settings, message):
    with pytest.raises(ValueError, match=message):
        RuleParams.from_mapping(settings)


def test_params_are_frozen():
    with pytest.raises(AttributeError):
        RuleParams().plt_uln = Decimal(450)


def test_rules_version_is_a_string():
    assert isinstance(RULES_VERSION, str) and RULES_VERSION


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_rules_engine_imports_nothing_from_django_or_the_clock():
    sources = sorted(RULES_DIR.glob("*.py"))
    assert len(sources) >= 10
    for path in sources:
        imported = _imported_modules(path)
        assert not {m for m in imported if m.split(".")[0] == "django"}, path.name
        assert not {m for m in imported if m.startswith("tracker.") and not m.startswith("tracker.rules")}, path.name
        text = path.read_text()
        assert "date.today" not in text and "datetime.now" not in text, path.name


def test_every_rule_names_the_settings_it_reads():
    from tracker.rules.flags import RULE_ORDER
    from tracker.rules.params import RULE_SETTINGS, RuleParams, rule_settings

    assert set(RULE_SETTINGS) == set(RULE_ORDER)
    fields = set(RuleParams.__dataclass_fields__)
    assert all(name in fields for names in RULE_SETTINGS.values() for name in names)
    [rise] = [row for row in rule_settings("R1", {"CFG_VEGF_RISE_PCT": "60"}) if row["key"] == "CFG_VEGF_RISE_PCT"]
    assert rise["value"] == "60" and rise["status"] == "PLACEHOLDER"


def test_docs_rules_lists_every_setting_with_its_default_and_status():
    from pathlib import Path

    from tracker.rules.params import RuleParams

    text = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text()
    for row in RuleParams.describe():
        assert f"| `{row['key']}` | {row['default']} | {row['status']} |" in text, row["key"]
