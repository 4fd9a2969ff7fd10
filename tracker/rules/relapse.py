"""All early-warning and relapse rules R1-R14 (POEMS-DOMAIN.md section 6.5).

The single-series rules live with their data (`lab_rules`, `haem_rules`, `clinical_rules`);
this module runs them and adds the two rules built on other flags:

- R10 (RED, multi-domain): AMBER flags open in at least two domains within
  `CFG_MULTIDOMAIN_WINDOW_D` days. The condition is checked on every day it can change (an
  AMBER raised, closed or leaving the window); one R10 is raised when it becomes true and
  collects every AMBER that keeps it true, so a third domain joins the existing R10 (TV-05)
  instead of raising another.
- R11 (INFO): an R4 or R5 worsening while thalidomide or bortezomib is active or ended at most
  `CFG_NEUROTOXIC_WASHOUT_D` days before.
"""

from __future__ import annotations

from datetime import date, timedelta

from tracker.rules import clinical_rules, haem_rules, lab_rules
from tracker.rules.explain import iso, join_words
from tracker.rules.flags import AMBER, INFO, RED, FlagResult, sort_key
from tracker.rules.series import Context

NEUROTOXIC_AGENTS = {"thalidomide", "bortezomib"}
DOMAIN_LABELS = {
    "vegf": "VEGF",
    "haematological": "haematological",
    "clinical": "clinical",
    "ncs": "NCS",
    "symptoms": "symptoms",
    "blood_counts": "blood counts",
}


def relapse_flags(ctx: Context) -> list[FlagResult]:
    flags = [
        *lab_rules.vegf_flags(ctx),
        *lab_rules.blood_count_flags(ctx),
        *lab_rules.new_series_flags(ctx),
        *lab_rules.vegf_caution_flags(ctx),
        *haem_rules.ife_relapse_flags(ctx),
        *haem_rules.mspike_flags(ctx),
        *haem_rules.flc_flags(ctx),
        *clinical_rules.neuro_score_flags(ctx),
        *clinical_rules.ncs_flags(ctx),
        *clinical_rules.symptom_flags(ctx),
        *clinical_rules.weight_flags(ctx),
        *clinical_rules.imaging_flags(ctx),
        *clinical_rules.function_score_flags(ctx),
    ]
    flags += treatment_neuropathy_flags(ctx, flags)
    flags += multi_domain_flags(ctx, flags)
    return sorted(flags, key=sort_key)


def treatment_neuropathy_flags(ctx: Context, flags: list[FlagResult]) -> list[FlagResult]:
    """R11 INFO next to each R4/R5 raised during or soon after a neurotoxic agent."""
    washout = ctx.params.neurotoxic_washout_d
    result = []
    for flag in flags:
        if flag.rule not in ("R4", "R5"):
            continue
        course = ctx.timeline.agent_exposure(NEUROTOXIC_AGENTS, flag.raised_on, washout)
        if course is None:
            continue
        agents = join_words(sorted(NEUROTOXIC_AGENTS.intersection(course.agents)))
        ended = f"ended {iso(course.end_date)}" if course.end_date else "ongoing"
        what = "Neuropathy score" if flag.rule == "R4" else "Nerve conduction"
        result.append(
            ctx.flag(
                "R11",
                severity=INFO,
                domain="clinical",
                subject=flag.key.rsplit(":", 1)[0],
                raised_on=flag.raised_on,
                explanation=(
                    f"{what} worsening on {iso(flag.raised_on)} ({flag.rule}) came while on or"
                    f" within {washout} days of {agents} (started {iso(course.start_date)},"
                    f" {ended}), a possible treatment-related neuropathy."
                ),
                evidence={
                    "flag_keys": [flag.key],
                    "treatment_ids": [course.id],
                    "washout_days": washout,
                },
            )
        )
    return result


def multi_domain_flags(ctx: Context, flags: list[FlagResult]) -> list[FlagResult]:
    """R10 RED once per stretch of time with open AMBERs in two or more domains."""
    window = ctx.params.multidomain_window_d
    ambers = [f for f in flags if f.severity == AMBER]

    def open_on(flag: FlagResult, day: date) -> bool:
        closed_on = flag.evidence.get("closed_on")
        return (
            flag.raised_on <= day
            and (day - flag.raised_on).days <= window
            and (closed_on is None or date.fromisoformat(closed_on) > day)
        )

    checkpoints = set()
    for f in ambers:
        checkpoints |= {f.raised_on, f.raised_on + timedelta(days=window + 1)}
        if f.evidence.get("closed_on"):
            checkpoints.add(date.fromisoformat(f.evidence["closed_on"]))
    episodes: list[tuple[date, dict[str, FlagResult]]] = []
    running: dict[str, FlagResult] | None = None
    for day in sorted(d for d in checkpoints if d <= ctx.as_of):
        current = [f for f in ambers if open_on(f, day)]
        if len({f.domain for f in current}) < 2:
            running = None
            continue
        if running is None:
            running = {}
            episodes.append((day, running))
        running.update({f.key: f for f in current})
    return [_r10_flag(ctx, day, sorted(members.values(), key=sort_key)) for day, members in episodes]


def _r10_flag(ctx: Context, day: date, members: list[FlagResult]) -> FlagResult:
    domains = list(dict.fromkeys(f.domain for f in members))
    parts = [f"{DOMAIN_LABELS.get(f.domain, f.domain)} ({f.rule} on {iso(f.raised_on)})" for f in members]
    return ctx.flag(
        "R10",
        severity=RED,
        domain="multi_domain",
        subject="multi_domain",
        raised_on=day,
        explanation=(
            f"Multi-domain warning: AMBER flags open in {len(domains)} domains within"
            f" {ctx.params.multidomain_window_d} days, namely {join_words(parts)}."
        ),
        evidence={
            "flag_keys": [f.key for f in members],
            "domains": domains,
            "window_days": ctx.params.multidomain_window_d,
        },
    )
