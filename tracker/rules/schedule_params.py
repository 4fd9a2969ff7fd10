"""The follow-up schedule's settings and item catalogue (POEMS-DOMAIN.md section 7).

Every interval is a setting with the spec's default and its evidence status, exactly like the
rule thresholds in `params.py`: PLACEHOLDER and UNVERIFIED numbers are never literals in the
schedule code. The post-treatment surveillance intervals (`CFG_SURV_INTERVAL_EARLY_M`,
`CFG_SURV_EARLY_YEARS`, `CFG_SURV_INTERVAL_LATE_M`) are rule settings already (the worklist reads
them), so they stay in `RuleParams` and are not repeated here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from tracker.rules.params import PLACEHOLDER, SOURCED, UNVERIFIED, _setting

ITEMS = ("visit", "fbc", "spep_ife", "flc", "chemistry", "vegf", "endocrine", "ncs", "imaging", "self_report")
"""The item names of INTERFACES.md section 7, in the order the schedule lists them."""

ITEM_LABELS = {
    "visit": "Clinic visit with neurological examination (ONLS/INCAT)",
    "fbc": "Full blood count",
    "spep_ife": "Serum protein electrophoresis / immunofixation",
    "flc": "Serum free light chains",
    "chemistry": "Renal, liver and bone profile",
    "vegf": "VEGF (same specimen type as baseline)",
    "endocrine": "Endocrine profile",
    "ncs": "Nerve conduction study",
    "imaging": "Imaging",
    "self_report": "Patient self-report (checklist and pain score)",
}

PLAIN_LABELS = {
    "visit": "a clinic visit, where your doctor checks your nerves and strength",
    "fbc": "a blood count",
    "spep_ife": "a blood test for the abnormal protein",
    "flc": "a blood test for light chains",
    "chemistry": "blood tests of your kidneys, liver and bones",
    "vegf": "a VEGF blood test",
    "endocrine": "hormone blood tests",
    "ncs": "a nerve conduction test",
    "imaging": "a scan",
    "self_report": "your symptom report on this site",
}

ITEM_ANALYTES: Mapping[str, frozenset[str]] = {
    "fbc": frozenset({"hemoglobin", "hematocrit", "platelets", "wbc", "neutrophils", "lymphocytes"}),
    "spep_ife": frozenset({"m_protein", "ife"}),
    "flc": frozenset({"flc_kappa", "flc_lambda", "flc_ratio"}),
    "chemistry": frozenset({"creatinine", "egfr", "albumin", "calcium", "alt", "ast", "alp", "bilirubin", "ggt"}),
    "vegf": frozenset({"vegf"}),
    "endocrine": frozenset(
        {"tsh", "free_t4", "testosterone_total", "prolactin", "cortisol", "glucose_fasting", "hba1c"}
        | {"pth", "lh", "fsh", "oestradiol"}
    ),
}
"""Which lab results count as having done an item."""

OFF_BY_DEFAULT = frozenset({"imaging"})
"""Not routine (section 7: imaging for new symptoms); a consultant can switch it on per patient."""

# Phases, in the order a patient goes through them.
UNTREATED = "untreated"
ON_TREATMENT = "on_treatment"
RESPONSE_ASSESSMENT = "response_assessment"
AFTER_RT = "after_rt"
SURVEILLANCE_EARLY = "surveillance_early"
SURVEILLANCE_LATE = "surveillance_late"
LIFELONG = "lifelong"
SURVEILLANCE_PHASES = (SURVEILLANCE_EARLY, SURVEILLANCE_LATE, LIFELONG)
DECEASED = "deceased"  # a death is recorded: nothing is due, no reminder goes out

PHASE_LABELS = {
    UNTREATED: "Before treatment (no calendar schedule yet)",
    ON_TREATMENT: "During treatment",
    RESPONSE_ASSESSMENT: "Response assessment (3-6 months after therapy)",
    AFTER_RT: "After radiotherapy (review 3-6 months after RT)",
    SURVEILLANCE_EARLY: "Post-treatment surveillance, early years",
    SURVEILLANCE_LATE: "Post-treatment surveillance, later years",
    LIFELONG: "Lifelong follow-up",
    DECEASED: "Follow-up ended: death recorded",
}


@dataclass(frozen=True)
class ScheduleParams:
    """Schedule intervals in months; field `treatment_cycle_m` is `CFG_SCHED_TREATMENT_CYCLE_M`."""

    treatment_visit_m: int = _setting(3, SOURCED, "months; exam with ONLS/INCAT at 3 months during treatment [S5 T5]")
    treatment_cycle_m: int = _setting(
        1, PLACEHOLDER, "months per treatment cycle: FBC, SPEP, SFLC, chemistry, VEGF each cycle [S5 T5]"
    )
    treatment_endocrine_m: int = _setting(3, SOURCED, "months; endocrine profile tailored, 3-6 months [S5 T5]")
    response_assessment_m: int = _setting(3, SOURCED, "months after frontline therapy: response assessment [S5 T5]")
    response_phase_m: int = _setting(6, SOURCED, "months after therapy that the response-assessment phase lasts")
    after_rt_review_m: int = _setting(3, SOURCED, "months after radiotherapy: review [S2]")
    surv_chemistry_m: int = _setting(6, PLACEHOLDER, "months between renal/liver/bone profiles in surveillance")
    surv_endocrine_m: int = _setting(6, PLACEHOLDER, "months between endocrine profiles in surveillance")
    ncs_interval_m: int = _setting(12, UNVERIFIED, "months; NCS annual and on clinical deterioration (PLACEHOLDER)")
    imaging_interval_m: int = _setting(12, PLACEHOLDER, "months, only when a consultant switches imaging on")
    lifelong_after_years: int = _setting(5, PLACEHOLDER, "years after T0 from which follow-up is called lifelong")

    @staticmethod
    def setting_name(field_name: str) -> str:
        return "CFG_SCHED_" + field_name.upper()

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, object]) -> ScheduleParams:
        """Build from settings keyed `CFG_SCHED_...`; an unknown key or a value outside
        1-60 months (1-50 years for `lifelong_after_years`) is an error."""
        by_name = {cls.setting_name(f.name): f for f in fields(cls)}
        unknown = sorted(set(mapping) - set(by_name))
        if unknown:
            raise ValueError(f"unknown schedule settings: {', '.join(unknown)}")
        values = {}
        for key, raw in mapping.items():
            if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 60:
                raise ValueError(f"{key} must be a whole number of months from 1 to 60, not {raw!r}")
            values[by_name[key].name] = raw
        return cls(**values)

    @classmethod
    def describe(cls) -> list[dict[str, str]]:
        return [
            {"key": cls.setting_name(f.name), "default": str(f.default), "status": f.metadata["status"],
             "note": f.metadata["note"]}
            for f in fields(cls)
        ]  # fmt: skip


def default_intervals(
    params: ScheduleParams, *, surv_early_m: int, surv_late_m: int
) -> dict[str, dict[str, int | None]]:
    """Phase -> item -> interval in months (None: not scheduled in that phase).

    `self_report` is not in the table: its interval is the patient's own report interval in days.
    """
    cycle, review = params.treatment_cycle_m, params.response_assessment_m
    on_treatment = {
        "visit": params.treatment_visit_m,
        **dict.fromkeys(("fbc", "spep_ife", "flc", "chemistry", "vegf"), cycle),
        "endocrine": params.treatment_endocrine_m,
    }
    response = dict.fromkeys(("visit", "fbc", "spep_ife", "flc", "chemistry", "endocrine", "vegf"), review)
    after_rt = dict.fromkeys(response, params.after_rt_review_m)

    def surveillance(core_m: int) -> dict[str, int | None]:
        return {
            **dict.fromkeys(("visit", "fbc", "spep_ife", "flc", "vegf"), core_m),
            "chemistry": params.surv_chemistry_m,
            "endocrine": params.surv_endocrine_m,
            "ncs": params.ncs_interval_m,
            "imaging": params.imaging_interval_m,
        }

    return {
        UNTREATED: {},
        ON_TREATMENT: on_treatment,
        RESPONSE_ASSESSMENT: response,
        AFTER_RT: after_rt,
        SURVEILLANCE_EARLY: surveillance(surv_early_m),
        SURVEILLANCE_LATE: surveillance(surv_late_m),
        LIFELONG: surveillance(surv_late_m),
    }
