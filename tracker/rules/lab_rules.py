"""VEGF and blood-count rules: R1/R1c, R2, R2b, and the INFO rules R12, R13, R14.

Choices where section 6.5 leaves room (all pass the section 8 vectors):

- R1 nadir: lowest value of the same series strictly after the result's own T0 and before it,
  counting only the latest member of each replicate cluster. Results taken while bevacizumab is
  active (R14) are left out of the series altogether: they can neither trigger, nor serve as
  nadir, nor confirm or close an R1.
- R14 applies while a bevacizumab treatment is active (start to end, both days included); the
  spec's "during/after" gives no duration for "after", so no washout is assumed. A
  `bevacizumab` confounder on the result itself raises R13 only.
- A value reported with a comparator ("<31") is used at its face value.
- R2/R2b raise one AMBER per run of consecutive results above the ULN, on the date of the
  result that completes `CFG_CONFIRM_N` of them; a longer run does not raise more.
- R2b with sex `other`/`unknown` and no `ref_high` uses the lower (female) fallback ULN, the
  more sensitive choice.
- R12 fires on the first result of a new series when the patient already had an earlier result
  of the same analyte in another series: any other VEGF series (serum vs plasma, lab, assay),
  or for other analytes a series of the same specimen from another lab. Serum and urine
  M-protein are parallel tests, not a switch. Immunofixation is qualitative and is compared
  across labs, so it never raises R12.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from tracker.rules.data import LabPoint, TreatmentPoint
from tracker.rules.episodes import EpisodeRule, Step, confirmation_episodes, episode_flags
from tracker.rules.explain import dec, iso, join_words, pct_change, percent, quantity
from tracker.rules.flags import AMBER, INFO, FlagResult
from tracker.rules.series import (
    Context,
    Obs,
    SeriesKey,
    lab_obs,
    lab_series,
    lowest,
    series_key,
    with_history,
)

ANALYTE_LABELS = {
    "vegf": "VEGF",
    "platelets": "Platelet count",
    "hemoglobin": "Haemoglobin",
    "hematocrit": "Haematocrit",
    "m_protein": "M-protein",
    "flc_kappa": "Free kappa",
    "flc_lambda": "Free lambda",
    "flc_ratio": "Kappa/lambda ratio",
}
R12_DOMAINS = {
    "vegf": "vegf",
    "platelets": "blood_counts",
    "hemoglobin": "blood_counts",
    "hematocrit": "blood_counts",
    "m_protein": "haematological",
    "flc_kappa": "haematological",
    "flc_lambda": "haematological",
    "flc_ratio": "haematological",
}


def vegf_uln(lab: LabPoint, ctx: Context) -> Decimal | None:
    """Report ULN, else the specimen's fallback; None for a specimen with no known limit."""
    if lab.ref_high is not None:
        return lab.ref_high
    if lab.specimen == "serum":
        return ctx.params.vegf_uln_serum
    if lab.specimen.startswith("plasma"):
        return ctx.params.vegf_uln_plasma
    return None


def bevacizumab_course(ctx: Context, day: date) -> TreatmentPoint | None:
    """The bevacizumab treatment active on `day`, if any (R14: VEGF not interpretable)."""
    return ctx.timeline.agent_exposure({"bevacizumab"}, day, washout_days=0)


def interpretable_vegf(ctx: Context) -> dict[SeriesKey, list[LabPoint]]:
    """VEGF series without the results R14 excludes, for R1 and the VEGF response."""
    return lab_series(
        ctx.data.labs,
        "vegf",
        keep=lambda lab: lab.value is not None and bevacizumab_course(ctx, lab.collected_on) is None,
    )


def vegf_text(obs: Obs) -> str:
    return f"VEGF {quantity(obs.value, 'pg/mL')} ({obs.source.specimen})"


# --- R1 / R1c --------------------------------------------------------------------------------


def _r1_step(ctx: Context, obs: Obs, prior: tuple[Obs, ...]) -> Step:
    anchor = ctx.timeline.t0_before(obs.day)
    uln = vegf_uln(obs.source, ctx)
    nadir = lowest(prior, after=anchor.day) if anchor else None
    if uln is None or nadir is None:
        return Step(obs, False)
    threshold = nadir.value * (1 + ctx.params.vegf_rise_pct / 100)
    meets = obs.value > uln and obs.value >= threshold
    return Step(obs, meets, {"uln": uln, "nadir": nadir, "threshold": threshold, "t0": anchor.day})


def _r1_finding(step: Step) -> str:
    nadir = step.facts["nadir"]
    rise = pct_change(step.obs.value, nadir.value)
    return (
        f"{vegf_text(step.obs)} on {iso(step.obs.day)} is above the upper limit of"
        f" {quantity(step.facts['uln'], 'pg/mL')} and {percent(rise)} above the nadir of"
        f" {quantity(nadir.value, 'pg/mL')} on {iso(nadir.day)}"
    )


def _r1_evidence(ctx: Context) -> Callable[[Step], dict]:
    def evidence(step: Step) -> dict:
        nadir = step.facts["nadir"]
        return {
            "value": dec(step.obs.value),
            "unit": "pg/mL",
            "collected_on": iso(step.obs.day),
            "uln": dec(step.facts["uln"]),
            "nadir": dec(nadir.value),
            "nadir_on": iso(nadir.day),
            "nadir_lab_result_ids": list(nadir.ids),
            "rise_pct": dec(pct_change(step.obs.value, nadir.value)),
            "threshold_rise_pct": dec(ctx.params.vegf_rise_pct),
            "threshold_value": dec(step.facts["threshold"]),
            "t0": iso(step.facts["t0"]),
        }

    return evidence


def vegf_flags(ctx: Context) -> list[FlagResult]:
    """R1/R1c per interpretable VEGF series; R12/R13/R14 are raised separately."""
    params = ctx.params
    rule = EpisodeRule(
        rule="R1",
        confirm_rule="R1c",
        confirm_label="VEGF progression",
        domain="vegf",
        ids_key="lab_result_ids",
        finding=_r1_finding,
        threshold=lambda step: f"threshold {percent(params.vegf_rise_pct)}",
        value=lambda step: quantity(step.obs.value, "pg/mL"),
        evidence=_r1_evidence(ctx),
    )
    flags: list[FlagResult] = []
    for key, points in interpretable_vegf(ctx).items():
        steps = [_r1_step(ctx, obs, prior) for obs, prior in with_history(lab_obs(points), params.confirm_min_days)]
        flags += episode_flags(ctx, rule, key.subject, steps)
    return flags


# --- R2 / R2b --------------------------------------------------------------------------------


def _count_uln(lab: LabPoint, ctx: Context, sex: str) -> Decimal:
    if lab.ref_high is not None:
        return lab.ref_high
    p = ctx.params
    if lab.analyte == "platelets":
        return p.plt_uln
    male = sex == "male"
    if lab.analyte == "hemoglobin":
        return p.hb_uln_male if male else p.hb_uln_female
    return p.hct_uln_male if male else p.hct_uln_female


def blood_count_flags(ctx: Context) -> list[FlagResult]:
    """R2 (platelets, after a post-T0 normal value) and R2b (haemoglobin, haematocrit)."""
    flags: list[FlagResult] = []
    for analyte, rule in (("platelets", "R2"), ("hemoglobin", "R2b"), ("hematocrit", "R2b")):
        for key, points in lab_series(ctx.data.labs, analyte).items():
            steps = _count_steps(ctx, lab_obs(points), needs_normal=rule == "R2")
            for episode in confirmation_episodes(steps, n=ctx.params.confirm_n, min_days=ctx.params.confirm_min_days):
                if episode.confirmation is not None:
                    flags.append(_count_flag(ctx, rule, key, episode.trigger, episode.confirmation))
    return flags


def _count_steps(ctx: Context, obs: list[Obs], *, needs_normal: bool) -> list[Step]:
    steps = []
    for o, prior in with_history(obs, ctx.params.confirm_min_days):
        anchor = ctx.timeline.t0_before(o.day)
        uln = _count_uln(o.source, ctx, ctx.data.sex)
        normal = [
            p for p in prior if anchor and p.day > anchor.day and p.value <= _count_uln(p.source, ctx, ctx.data.sex)
        ]
        meets = anchor is not None and o.value > uln and (bool(normal) or not needs_normal)
        facts = {"uln": uln, "t0": anchor.day if anchor else None, "normal": normal[-1] if normal else None}
        steps.append(Step(o, meets, facts))
    return steps


def _count_flag(ctx: Context, rule: str, key: SeriesKey, first: Step, last: Step) -> FlagResult:
    unit = last.obs.source.unit
    label = ANALYTE_LABELS[key.analyte]
    sentence = (
        f"{label} {quantity(last.obs.value, unit)} on {iso(last.obs.day)} is above the upper limit"
        f" of {quantity(last.facts['uln'], unit)}"
    )
    if first is not last:
        sentence += f" for a second consecutive result after {quantity(first.obs.value, unit)} on {iso(first.obs.day)}"
    normal = last.facts["normal"]
    if normal is not None:
        sentence += f", having been {quantity(normal.value, unit)} on {iso(normal.day)}"
    sentence += f" after the anchor of {iso(last.facts['t0'])}"
    evidence = {
        "lab_result_ids": list(dict.fromkeys(first.obs.ids + last.obs.ids)),
        "values": [dec(first.obs.value), dec(last.obs.value)],
        "dates": [iso(first.obs.day), iso(last.obs.day)],
        "unit": unit,
        "uln": dec(last.facts["uln"]),
        "t0": iso(last.facts["t0"]),
        "consecutive_results": ctx.params.confirm_n,
    }
    if normal is not None:
        evidence["normal_value"] = dec(normal.value)
        evidence["normal_on"] = iso(normal.day)
        evidence["normal_lab_result_ids"] = list(normal.ids)
    return ctx.flag(
        rule,
        severity=AMBER,
        domain="blood_counts",
        subject=key.subject,
        raised_on=last.obs.day,
        explanation=sentence + ".",
        evidence=evidence,
    )


# --- R12 / R13 / R14 -------------------------------------------------------------------------


def new_series_flags(ctx: Context) -> list[FlagResult]:
    """R12 INFO on the first result of a series that replaces an earlier, different one."""
    flags: list[FlagResult] = []
    for analyte, domain in R12_DOMAINS.items():
        series = lab_series(ctx.data.labs, analyte)
        for key, points in series.items():
            first = points[0]
            earlier = [
                last
                for other_key, other in series.items()
                if other_key != key and (analyte == "vegf" or other_key.specimen == key.specimen)
                if (last := _last_before(other, first)) is not None
            ]
            if not earlier:
                continue
            previous = max(earlier, key=lambda p: (p.collected_on, p.id))
            flags.append(_r12_flag(ctx, domain, key, first, previous))
    return flags


def _last_before(points: list[LabPoint], first: LabPoint) -> LabPoint | None:
    before = [p for p in points if p.collected_on < first.collected_on]
    return before[-1] if before else None


def _value_text(lab: LabPoint) -> str:
    comparator = lab.comparator if lab.comparator in ("<", ">") else ""
    return comparator + quantity(lab.value, lab.unit)


def _describe_series(key: SeriesKey) -> str:
    parts = [key.specimen, key.lab or "lab not recorded"] + ([key.assay] if key.assay else [])
    return ", ".join(p for p in parts if p)


def _r12_flag(ctx: Context, domain: str, key: SeriesKey, first: LabPoint, previous: LabPoint) -> FlagResult:
    old_key = series_key(previous)
    changed = [
        name
        for name, old, new in (
            ("specimen", old_key.specimen, key.specimen),
            ("lab", old_key.lab, key.lab),
            ("assay", old_key.assay, key.assay),
        )
        if old != new
    ]
    label = ANALYTE_LABELS[key.analyte]
    return ctx.flag(
        "R12",
        severity=INFO,
        domain=domain,
        subject=key.subject,
        raised_on=first.collected_on,
        explanation=(
            f"{label} {_value_text(first)} on {iso(first.collected_on)}"
            f" ({_describe_series(key)}) starts a new series"
            f" after a change of {join_words(changed)} from {_describe_series(old_key)}"
            f" (last on {iso(previous.collected_on)}), so it is not compared with earlier results."
        ),
        evidence={
            "lab_result_ids": [first.id, previous.id],
            "new_series": key.subject,
            "previous_series": old_key.subject,
            "changed": changed,
        },
    )


def vegf_caution_flags(ctx: Context) -> list[FlagResult]:
    """R13 INFO for a confounder, R14 INFO while bevacizumab is active (one per result)."""
    flags: list[FlagResult] = []
    for lab in ctx.data.labs:
        if lab.analyte != "vegf" or lab.value is None:
            continue
        obs = Obs(lab.collected_on, lab.value, (lab.id,), lab)
        subject = series_key(lab).subject
        if lab.confounders:
            names = join_words([c.replace("_", " ") for c in lab.confounders])
            flags.append(
                ctx.flag(
                    "R13",
                    severity=INFO,
                    domain="vegf",
                    subject=subject,
                    raised_on=lab.collected_on,
                    explanation=(
                        f"{vegf_text(obs)} on {iso(lab.collected_on)} was recorded with"
                        f" {names}, so interpret it with caution and repeat it."
                    ),
                    evidence={"lab_result_ids": [lab.id], "confounders": list(lab.confounders)},
                )
            )
        course = bevacizumab_course(ctx, lab.collected_on)
        if course is not None:
            flags.append(
                ctx.flag(
                    "R14",
                    severity=INFO,
                    domain="vegf",
                    subject=subject,
                    raised_on=lab.collected_on,
                    explanation=(
                        f"{vegf_text(obs)} on {iso(lab.collected_on)} was taken while bevacizumab"
                        f" (from {iso(course.start_date)}) was active, so it is not interpretable"
                        " and is left out of the VEGF rules."
                    ),
                    evidence={"lab_result_ids": [lab.id], "treatment_ids": [course.id]},
                )
            )
    return flags
