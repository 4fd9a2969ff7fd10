"""Every rule threshold as a named setting (POEMS-DOMAIN.md section 6.3 and section 7).

The spec insists that no PLACEHOLDER or UNVERIFIED number is hard-coded: each lives here with
the spec's default, its evidence status and where it comes from, so a deployment can override
it from settings (`RuleParams.from_mapping`) and every flag stores the values it was judged by
(`RuleParams.as_dict`). Status words follow the spec:

- SOURCED: the number or definition appears in a source the spec author read.
- UNVERIFIED: quoted in the field but not confirmed in a source read; configurable.
- PLACEHOLDER: an app-design default chosen so the engine works; the clinical lead must set it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation

RULES_VERSION = "0.2.0"
"""Version of the rule logic, stored on every flag; bump it whenever a rule's meaning changes."""

SOURCED = "SOURCED"
UNVERIFIED = "UNVERIFIED"
PLACEHOLDER = "PLACEHOLDER"


def _setting(default: Decimal | int, status: str, note: str):
    return field(default=default, metadata={"status": status, "note": note})


@dataclass(frozen=True)
class RuleParams:
    """Rule thresholds; field `vegf_rise_pct` is the setting `CFG_VEGF_RISE_PCT`, and so on.

    Lab thresholds are `Decimal` (compared exactly, never as floats); counts and day or month
    intervals are `int`. The ULN settings are fallbacks used only when a result carries no
    `ref_high` of its own.
    """

    vegf_uln_plasma: Decimal = _setting(
        Decimal("96.2"), SOURCED, "pg/mL; Mayo EDTA plasma reference [S29]; lab-specific"
    )
    vegf_uln_serum: Decimal = _setting(
        Decimal("1000"), SOURCED, "pg/mL; 'normalised <1000' [S9]; alternative 1040 [S10]"
    )
    vegf_pr_drop_pct: Decimal = _setting(Decimal("50"), UNVERIFIED, "% fall from baseline for VEGF partial response")
    vegf_rise_pct: Decimal = _setting(Decimal("50"), PLACEHOLDER, "% rise over nadir for R1")
    confirm_n: int = _setting(
        2, SOURCED, "consecutive results confirming progression; IMWG principle [S27], by analogy"
    )
    confirm_min_days: int = _setting(28, PLACEHOLDER, "days between results for them to count as consecutive")
    response_window_d: int = _setting(
        90, SOURCED, "days after T0 before response is assessed (3-6 months) [S5][S2][S10]"
    )
    baseline_lookback_d: int = _setting(
        90, PLACEHOLDER, "how old a pre-treatment value may be and still serve as baseline"
    )
    mspike_measurable_g_dl: Decimal = _setting(
        Decimal("1.0"), SOURCED, "g/dL; IMWG measurable disease [S27]; POEMS lower value UNVERIFIED"
    )
    mspike_pd_rel_pct: Decimal = _setting(Decimal("25"), SOURCED, "% rise over nadir, IMWG [S27]")
    mspike_pd_abs_g_dl: Decimal = _setting(Decimal("0.5"), SOURCED, "g/dL absolute rise over nadir, IMWG [S27]")
    haem_vgpr_fall_pct: Decimal = _setting(
        Decimal("90"), SOURCED, "% M-spike fall at nadir for haematological VGPR, IMWG [S27]"
    )
    haem_pr_fall_pct: Decimal = _setting(
        Decimal("50"), SOURCED, "% M-spike fall at nadir for haematological PR, IMWG [S27]"
    )
    marrow_cr_pc_pct: Decimal = _setting(
        Decimal("5"), SOURCED, "% marrow plasma cells; haematological CR needs fewer, IMWG [S27]"
    )
    flc_pd_abs_mg_l: Decimal = _setting(
        Decimal("100"), SOURCED, "mg/L rise of involved-uninvolved FLC, IMWG [S27]; confirm"
    )
    flc_ratio_low: Decimal = _setting(Decimal("0.26"), SOURCED, "kappa/lambda ratio lower limit fallback [S28]")
    flc_ratio_high: Decimal = _setting(Decimal("1.65"), SOURCED, "kappa/lambda ratio upper limit fallback [S28]")
    plt_uln: Decimal = _setting(Decimal("400"), SOURCED, "×10⁹/L fallback [S33]; POEMS-specific threshold UNVERIFIED")
    hb_uln_male: Decimal = _setting(Decimal("180"), SOURCED, "g/L fallback [S33]")
    hb_uln_female: Decimal = _setting(Decimal("160"), SOURCED, "g/L fallback [S33]")
    hct_uln_male: Decimal = _setting(Decimal("0.51"), SOURCED, "L/L fallback [S33]")
    hct_uln_female: Decimal = _setting(Decimal("0.47"), SOURCED, "L/L fallback [S33]")
    onls_change_points: int = _setting(1, PLACEHOLDER, "ONLS points for worse/improved")
    incat_change_points: int = _setting(1, PLACEHOLDER, "INCAT points for worse/improved")
    mrs_ecog_change_points: int = _setting(1, PLACEHOLDER, "mRS or ECOG points for R9")
    ncs_cmap_drop_pct: Decimal = _setting(Decimal("30"), PLACEHOLDER, "% CMAP fall vs best")
    ncs_cv_drop_pct: Decimal = _setting(Decimal("20"), PLACEHOLDER, "% conduction velocity fall")
    symptom_rise_points: int = _setting(2, PLACEHOLDER, "0-10 points rise vs previous report")
    weight_change_pct: Decimal = _setting(Decimal("5"), PLACEHOLDER, "% weight change for R7")
    weight_window_d: int = _setting(90, PLACEHOLDER, "days over which R7 looks for the change")
    multidomain_window_d: int = _setting(180, PLACEHOLDER, "days within which R10 counts AMBERs")
    neurotoxic_washout_d: int = _setting(
        90, PLACEHOLDER, "days after thalidomide/bortezomib ends that R11 still applies"
    )
    surv_interval_early_m: int = _setting(3, PLACEHOLDER, "months between surveillance checks")
    surv_early_years: int = _setting(2, PLACEHOLDER, "years after T0 on the early interval")
    surv_interval_late_m: int = _setting(6, PLACEHOLDER, "months between checks later; 6-monthly sVEGF used in [S9]")

    @staticmethod
    def setting_name(field_name: str) -> str:
        """The settings key of a field: `vegf_rise_pct` -> `CFG_VEGF_RISE_PCT`."""
        return "CFG_" + field_name.upper()

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, object]) -> RuleParams:
        """Build from a settings dict keyed like the spec; missing keys keep the default.

        Unknown keys are an error (a misspelt override must not silently leave the default in
        force), and so is a value that is not a non-negative number of the right kind.
        """
        by_name = {cls.setting_name(f.name): f for f in fields(cls)}
        unknown = sorted(set(mapping) - set(by_name))
        if unknown:
            raise ValueError(f"unknown rule settings: {', '.join(unknown)}")
        values = {by_name[key].name: _coerce(key, raw, by_name[key].default) for key, raw in mapping.items()}
        params = cls(**values)
        if params.confirm_n < 1:
            raise ValueError("CFG_CONFIRM_N must be at least 1")
        return params

    def as_dict(self) -> dict[str, str | int]:
        """JSON-safe snapshot stored with each flag: Decimals as strings, counts as ints."""
        return {self.setting_name(f.name): _json_value(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def describe(cls) -> list[dict[str, str]]:
        """Key, default, status and note of every setting, for help pages and flag footnotes."""
        return [
            {
                "key": cls.setting_name(f.name),
                "default": str(f.default),
                "status": f.metadata["status"],
                "note": f.metadata["note"],
            }
            for f in fields(cls)
        ]


def _coerce(key: str, raw: object, default: Decimal | int) -> Decimal | int:
    if isinstance(raw, bool):
        raise ValueError(f"{key} must be a number, not {raw!r}")
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        raise ValueError(f"{key} must be a number, not {raw!r}") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"{key} must be a non-negative number, not {raw!r}")
    if isinstance(default, int):
        if number != number.to_integral_value():
            raise ValueError(f"{key} must be a whole number, not {raw!r}")
        return int(number)
    return number


def _json_value(value: Decimal | int) -> str | int:
    return str(value) if isinstance(value, Decimal) else value


PLAIN_NAMES: dict[str, tuple[str, str]] = {
    "marrow_cr_pc_pct": ("Marrow plasma cells below which a haematological complete response is possible", "%"),
    "vegf_uln_plasma": ("Upper limit of normal for plasma VEGF", "pg/mL"),
    "vegf_uln_serum": ("Upper limit of normal for serum VEGF", "pg/mL"),
    "vegf_pr_drop_pct": ("VEGF fall from baseline for a partial response", "%"),
    "vegf_rise_pct": ("VEGF rise over its lowest value since treatment (nadir)", "%"),
    "confirm_n": ("Consecutive results that confirm a rise", "results"),
    "confirm_min_days": ("Least time between two results for them to count as consecutive", "days"),
    "response_window_d": ("Time after T0 before response is assessed", "days"),
    "baseline_lookback_d": ("Oldest pre-treatment result that can serve as baseline", "days"),
    "mspike_measurable_g_dl": ("Smallest M-protein that counts as measurable", "g/dL"),
    "mspike_pd_rel_pct": ("M-protein rise over nadir for progression", "%"),
    "mspike_pd_abs_g_dl": ("M-protein rise over nadir for progression, absolute", "g/dL"),
    "haem_vgpr_fall_pct": ("M-protein fall for a very good partial response", "%"),
    "haem_pr_fall_pct": ("M-protein fall for a partial response", "%"),
    "flc_pd_abs_mg_l": ("Rise of the involved minus uninvolved free light chain for progression", "mg/L"),
    "flc_ratio_low": ("Lower limit of the kappa/lambda ratio", ""),
    "flc_ratio_high": ("Upper limit of the kappa/lambda ratio", ""),
    "plt_uln": ("Upper limit of normal for platelets", "10^9/L"),
    "hb_uln_male": ("Upper limit of normal for haemoglobin, men", "g/L"),
    "hb_uln_female": ("Upper limit of normal for haemoglobin, women", "g/L"),
    "hct_uln_male": ("Upper limit of normal for haematocrit, men", "L/L"),
    "hct_uln_female": ("Upper limit of normal for haematocrit, women", "L/L"),
    "onls_change_points": ("ONLS change that counts as worse or improved", "points"),
    "incat_change_points": ("INCAT change that counts as worse or improved", "points"),
    "mrs_ecog_change_points": ("mRS or ECOG change that counts as worse", "points"),
    "ncs_cmap_drop_pct": ("CMAP amplitude fall from the best result", "%"),
    "ncs_cv_drop_pct": ("Conduction velocity fall from the best result", "%"),
    "symptom_rise_points": ("Rise of a self-reported symptom since the previous report", "points"),
    "weight_change_pct": ("Weight change", "%"),
    "weight_window_d": ("Period over which the weight change is measured", "days"),
    "multidomain_window_d": ("Period in which AMBER flags in several domains count together", "days"),
    "neurotoxic_washout_d": ("Time after thalidomide or bortezomib ends that it may still explain neuropathy", "days"),
    "surv_interval_early_m": ("Interval between surveillance checks, early years", "months"),
    "surv_early_years": ("Years after T0 on the early surveillance interval", "years"),
    "surv_interval_late_m": ("Interval between surveillance checks, later", "months"),
}
"""Each setting in words a clinician reads, and the unit of its value (ASCII, as stored)."""

_VEGF = ("vegf_uln_serum", "vegf_uln_plasma", "vegf_rise_pct", "confirm_min_days")
_SCORES = ("onls_change_points", "incat_change_points", "confirm_min_days")
RULE_SETTINGS: dict[str, tuple[str, ...]] = {
    "R1": _VEGF,
    "R1c": (*_VEGF, "confirm_n"),
    "R2": ("plt_uln", "confirm_min_days"),
    "R2b": ("hb_uln_male", "hb_uln_female", "hct_uln_male", "hct_uln_female", "confirm_min_days"),
    "R3": ("confirm_min_days",),
    "R3c": ("confirm_min_days", "confirm_n"),
    "R3b": ("mspike_measurable_g_dl", "mspike_pd_rel_pct", "mspike_pd_abs_g_dl", "confirm_min_days"),
    "R3f": ("flc_ratio_low", "flc_ratio_high", "flc_pd_abs_mg_l", "mspike_measurable_g_dl", "confirm_min_days"),
    "R4": _SCORES,
    "R4c": (*_SCORES, "confirm_n"),
    "R5": ("ncs_cmap_drop_pct", "ncs_cv_drop_pct"),
    "R6": ("symptom_rise_points",),
    "R7": ("weight_change_pct", "weight_window_d"),
    "R8": (),
    "R9": ("mrs_ecog_change_points",),
    "R10": ("multidomain_window_d",),
    "R11": ("neurotoxic_washout_d",),
    "R12": (),
    "R13": (),
    "R14": (),
}
"""The settings each rule reads, so a flag page can list the ones behind it with their status."""


def rule_settings(rule: str, snapshot: Mapping[str, object]) -> list[dict[str, str]]:
    """Key, value in force (from a flag's snapshot), default, status and note of each setting
    `rule` uses."""
    described = {entry["key"]: entry for entry in RuleParams.describe()}
    rows = []
    for name in RULE_SETTINGS.get(rule, ()):
        key = RuleParams.setting_name(name)
        plain, unit = PLAIN_NAMES.get(name, (key, ""))  # a setting without words yet shows its key
        value = str(snapshot.get(key, described[key]["default"]))
        rows.append({**described[key], "name": plain, "unit": unit, "value": value})
    return rows
