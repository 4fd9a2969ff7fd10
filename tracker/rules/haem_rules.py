"""Haematological rules: R3/R3c (IFE after CR), R3b (M-spike), R3f (free light chains).

Choices where section 6 leaves room (all pass the section 8 vectors):

- Immunofixation is qualitative, so serum IFE results from different labs form one stream, and
  24-hour and spot urine IFE another. R3 runs on each stream; its confirmation is the next
  consecutive test of the same stream.
- Haematological CR (6.4) is reached on the second of two consecutive negative serum IFEs after
  T0, provided the latest urine IFE after T0 up to that day (if any) is not positive, and the
  latest bone marrow biopsy after T0 up to that day with a plasma-cell count (if any) shows
  fewer than `CFG_MARROW_CR_PC_PCT` (5%) plasma cells (IMWG CR, 6.1 [S27]). Like urine IFE, a
  marrow not examined after T0 does not hold the CR back; one at or over 5% does, until a
  later biopsy shows fewer.
  `equivocal` counts as neither negative nor positive; `not_done` is not a test.
- R3b runs on serum M-protein only (the spec's thresholds are in g/dL), per lab series, when
  the baseline of that series was measurable.
- R3f uses the involved-minus-uninvolved difference from kappa and lambda drawn on the same day
  in the same lab; the involved chain is the one the abnormal baseline ratio points to. The
  baseline ratio is a recorded kappa/lambda ratio, or one computed from a same-day pair,
  whichever is later in the baseline window (the lab's own ratio wins on the same day).
  "M-spike unmeasurable" includes having no baseline M-spike at all.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from tracker.rules.data import LabPoint, MarrowPoint
from tracker.rules.episodes import EpisodeRule, Step, episode_flags
from tracker.rules.explain import dec, iso, percent, quantity
from tracker.rules.flags import FlagResult
from tracker.rules.series import (
    Anchor,
    Context,
    Obs,
    baseline,
    lab_obs,
    lab_series,
    lowest,
    representatives,
    with_history,
)

IFE_STREAMS = {"serum": ("serum",), "urine": ("urine_24h", "urine_spot")}


def ife_stream(ctx: Context, stream: str, *, before: date | None = None) -> list[Obs]:
    """Immunofixation tests of one stream (serum or urine) in date order.

    The whole stream is built once per evaluation and cut with a binary search, because R3
    asks for it once per test (otherwise the cost grows with the square of the tests).
    """
    key = ("ife_stream", stream)
    tests = ctx.memo.get(key)
    if tests is None:
        tests = ctx.memo[key] = sorted(
            (
                Obs(lab.collected_on, None, (lab.id,), lab)
                for lab in ctx.data.labs
                if lab.analyte == "ife"
                and lab.specimen in IFE_STREAMS[stream]
                and lab.category in ("negative", "positive", "equivocal")
            ),
            key=lambda obs: obs.day,
        )
    if before is None:
        return list(tests)
    return tests[: bisect_left([obs.day for obs in tests], before)]


def haem_cr(
    ctx: Context,
    anchor: Anchor,
    *,
    before: date | None = None,
    assessed_from: date | None = None,
) -> Obs | None:
    """The serum IFE completing the first haematological CR after `anchor`, if reached.

    `before` limits the tests to those seen before a result being judged (R3); `assessed_from`
    ignores a CR completed before the response window opens (6.4).
    """
    min_days = ctx.params.confirm_min_days
    serum = representatives(ife_stream(ctx, "serum", before=before), min_days)
    urine = ife_stream(ctx, "urine", before=before)
    marrow = [
        m
        for m in ctx.data.marrow
        if m.plasma_cells_pct is not None and anchor.day < m.biopsy_date and (before is None or m.biopsy_date < before)
    ]
    for first, second in zip(serum, serum[1:], strict=False):
        if first.day <= anchor.day or (assessed_from and second.day < assessed_from):
            continue
        if first.source.category == second.source.category == "negative":
            urine_since = [u for u in urine if anchor.day < u.day <= second.day]
            if urine_since and urine_since[-1].source.category == "positive":
                continue
            if not marrow_allows_cr(ctx, [m for m in marrow if m.biopsy_date <= second.day]):
                continue
            return second
    return None


def marrow_allows_cr(ctx: Context, biopsies: Sequence[MarrowPoint]) -> bool:
    """True unless the latest of `biopsies` (in date order) has plasma cells at or over the CR
    limit (IMWG CR: fewer than 5% marrow plasma cells [S27]); no biopsy: not examined, True."""
    if not biopsies:
        return True
    return biopsies[-1].plasma_cells_pct < ctx.params.marrow_cr_pc_pct


def mspike_baseline(ctx: Context, anchor: Anchor) -> Obs | None:
    """Baseline serum M-protein (g/dL) of the anchor's line, from any lab."""
    obs = lab_obs([lab for lab in ctx.data.labs if lab.analyte == "m_protein" and lab.specimen == "serum"])
    return baseline(obs, anchor, ctx.params.baseline_lookback_d)


def is_measurable(ctx: Context, mspike: Obs | None) -> bool:
    return mspike is not None and mspike.value >= ctx.params.mspike_measurable_g_dl


# --- R3 / R3c --------------------------------------------------------------------------------


def _ife_text(obs: Obs) -> str:
    lab = obs.source
    stream = "Serum" if lab.specimen == "serum" else "Urine"
    detail = f" ({lab.detail})" if lab.detail else ""
    return f"{stream} immunofixation on {iso(obs.day)} is {lab.category}{detail}"


def ife_relapse_flags(ctx: Context) -> list[FlagResult]:
    rule = EpisodeRule(
        rule="R3",
        confirm_rule="R3c",
        confirm_label="Haematological relapse",
        domain="haematological",
        ids_key="lab_result_ids",
        finding=lambda s: f"{_ife_text(s.obs)} after the haematological complete response of {iso(s.facts['cr'].day)}",
        threshold=lambda s: "criterion: reappearance of the paraprotein on immunofixation",
        value=lambda s: s.obs.source.category,
        evidence=lambda s: {
            "specimen": s.obs.source.specimen,
            "category": s.obs.source.category,
            "detail": s.obs.source.detail,
            "cr_on": iso(s.facts["cr"].day),
            "cr_lab_result_ids": list(s.facts["cr"].ids),
        },
    )
    flags: list[FlagResult] = []
    for stream in IFE_STREAMS:
        steps = []
        for obs in ife_stream(ctx, stream):
            anchor = ctx.timeline.t0_before(obs.day)
            cr = haem_cr(ctx, anchor, before=obs.day) if anchor else None
            meets = cr is not None and obs.source.category == "positive"
            steps.append(Step(obs, meets, {"cr": cr}))
        flags += episode_flags(ctx, rule, f"ife/{stream}", steps)
    return flags


# --- R3b -------------------------------------------------------------------------------------


def _rise_step(
    ctx: Context, obs: Obs, prior: Sequence[Obs], anchor: Anchor, *, strict_abs: bool, abs_threshold: Decimal
) -> Step:
    nadir = lowest(prior, after=anchor.day)
    if nadir is None:
        return Step(obs, False)
    rel_threshold = nadir.value * (1 + ctx.params.mspike_pd_rel_pct / 100)
    rise = obs.value - nadir.value
    abs_ok = rise > abs_threshold if strict_abs else rise >= abs_threshold
    meets = obs.value >= rel_threshold and abs_ok
    return Step(obs, meets, {"nadir": nadir, "t0": anchor.day, "rise": rise})


def _rise_evidence(step: Step, unit: str) -> dict:
    nadir = step.facts["nadir"]
    return {
        "value": dec(step.obs.value),
        "unit": unit,
        "nadir": dec(nadir.value),
        "nadir_on": iso(nadir.day),
        "nadir_lab_result_ids": list(nadir.ids),
        "rise": dec(step.facts["rise"]),
        "t0": iso(step.facts["t0"]),
    }


def _rise_finding(label: str, step: Step, unit: str) -> str:
    nadir = step.facts["nadir"]
    rise_pct = "" if nadir.value == 0 else f"{percent(step.facts['rise'] / nadir.value * 100)} and "
    return (
        f"{label} {quantity(step.obs.value, unit)} on {iso(step.obs.day)} is {rise_pct}"
        f"{quantity(step.facts['rise'], unit)} above the nadir of {quantity(nadir.value, unit)}"
        f" on {iso(nadir.day)}"
    )


def mspike_flags(ctx: Context) -> list[FlagResult]:
    p = ctx.params
    rule = EpisodeRule(
        rule="R3b",
        confirm_rule="R3b",
        confirm_label="Haematological progression",
        domain="haematological",
        ids_key="lab_result_ids",
        finding=lambda s: _rise_finding("Serum M-protein", s, "g/dL"),
        threshold=lambda s: f"thresholds {percent(p.mspike_pd_rel_pct)} and {quantity(p.mspike_pd_abs_g_dl, 'g/dL')}",
        value=lambda s: quantity(s.obs.value, "g/dL"),
        evidence=lambda s: {
            **_rise_evidence(s, "g/dL"),
            "threshold_rise_pct": dec(p.mspike_pd_rel_pct),
            "threshold_rise_abs": dec(p.mspike_pd_abs_g_dl),
            "measurable_threshold": dec(p.mspike_measurable_g_dl),
        },
    )
    flags: list[FlagResult] = []
    series = lab_series(ctx.data.labs, "m_protein", keep=lambda lab: lab.specimen == "serum")
    for key, points in series.items():
        obs = lab_obs(points)
        steps = []
        for o, prior in with_history(obs, p.confirm_min_days):
            anchor = ctx.timeline.t0_before(o.day)
            if anchor is None or not is_measurable(ctx, baseline(obs, anchor, p.baseline_lookback_d)):
                steps.append(Step(o, False))
            else:
                steps.append(_rise_step(ctx, o, prior, anchor, strict_abs=False, abs_threshold=p.mspike_pd_abs_g_dl))
        flags += episode_flags(ctx, rule, key.subject, steps)
    return flags


# --- R3f -------------------------------------------------------------------------------------


def _ratio_limits(ctx: Context, ratio_lab: LabPoint | None) -> tuple[Decimal, Decimal]:
    """The report's ratio range when the baseline ratio was a recorded result, else fallbacks."""
    low, high = ctx.params.flc_ratio_low, ctx.params.flc_ratio_high
    if ratio_lab is not None:
        low = ratio_lab.ref_low if ratio_lab.ref_low is not None else low
        high = ratio_lab.ref_high if ratio_lab.ref_high is not None else high
    return low, high


def involved_chain(ctx: Context, anchor: Anchor, pairs: dict) -> tuple[str, Obs] | None:
    """'kappa' or 'lambda' when the baseline kappa/lambda ratio was abnormal, with that ratio."""
    ratios = [
        Obs(lab.collected_on, lab.value, (lab.id,), lab)
        for lab in ctx.data.labs
        if lab.analyte == "flc_ratio" and lab.value is not None
    ]
    for kappa, lambda_ in pairs.values():
        if lambda_.value:
            ratio = (kappa.value / lambda_.value).quantize(Decimal("0.001"))
            ratios.append(Obs(kappa.collected_on, ratio, (kappa.id, lambda_.id)))
    ratios.sort(key=lambda o: (o.day, -len(o.ids)))  # same day: the lab's own ratio wins
    base = baseline(ratios, anchor, ctx.params.baseline_lookback_d)
    if base is None:
        return None
    low, high = _ratio_limits(ctx, base.source)
    if base.value > high:
        return "kappa", base
    if base.value < low:
        return "lambda", base
    return None


def _flc_pairs(ctx: Context) -> dict[tuple[date, str], tuple[LabPoint, LabPoint]]:
    """Serum kappa and lambda drawn the same day in the same lab, keyed by (day, lab)."""
    kappa = {
        (lab.collected_on, lab.lab): lab
        for lab in ctx.data.labs
        if lab.analyte == "flc_kappa" and lab.specimen == "serum" and lab.value is not None
    }
    lambda_ = {
        (lab.collected_on, lab.lab): lab
        for lab in ctx.data.labs
        if lab.analyte == "flc_lambda" and lab.specimen == "serum" and lab.value is not None
    }
    return {k: (kappa[k], lambda_[k]) for k in sorted(kappa.keys() & lambda_.keys())}


def flc_flags(ctx: Context) -> list[FlagResult]:
    """R3f per lab and chain; only the involved chain of an anchor's line can meet the rule."""
    p = ctx.params
    pairs = _flc_pairs(ctx)
    eligible = {
        anchor.day: None if is_measurable(ctx, mspike_baseline(ctx, anchor)) else involved_chain(ctx, anchor, pairs)
        for anchor in ctx.timeline.anchors
    }
    by_lab: dict[str, dict[str, list[Obs]]] = {}
    for (day, lab), (kappa, lambda_) in pairs.items():
        ids = (kappa.id, lambda_.id)
        streams = by_lab.setdefault(lab, {"kappa": [], "lambda": []})
        streams["kappa"].append(Obs(day, kappa.value - lambda_.value, ids, kappa))
        streams["lambda"].append(Obs(day, lambda_.value - kappa.value, ids, lambda_))
    flags: list[FlagResult] = []
    for lab, streams in sorted(by_lab.items()):
        for chain, obs in streams.items():
            steps = []
            for o, prior in with_history(obs, p.confirm_min_days):
                anchor = ctx.timeline.t0_before(o.day)
                involved = eligible[anchor.day] if anchor else None
                if involved is None or involved[0] != chain:
                    steps.append(Step(o, False))
                    continue
                step = _rise_step(ctx, o, prior, anchor, strict_abs=True, abs_threshold=p.flc_pd_abs_mg_l)
                steps.append(Step(o, step.meets, {**step.facts, "baseline_ratio": involved[1]}))
            flags += episode_flags(ctx, _flc_rule(ctx, chain), f"dflc/{chain}/{lab or '-'}", steps)
    return flags


def _flc_rule(ctx: Context, chain: str) -> EpisodeRule:
    p = ctx.params
    return EpisodeRule(
        rule="R3f",
        confirm_rule="R3f",
        confirm_label="Light-chain progression",
        domain="haematological",
        ids_key="lab_result_ids",
        finding=lambda s: _rise_finding(f"Involved-minus-uninvolved free light chain ({chain})", s, "mg/L"),
        threshold=lambda s: (
            f"thresholds {percent(p.mspike_pd_rel_pct)} and more than {quantity(p.flc_pd_abs_mg_l, 'mg/L')}"
            f", baseline kappa/lambda ratio {s.facts['baseline_ratio'].value:.2f}"
        ),
        value=lambda s: quantity(s.obs.value, "mg/L"),
        evidence=lambda s: {
            **_rise_evidence(s, "mg/L"),
            "involved_chain": chain,
            "baseline_ratio": dec(s.facts["baseline_ratio"].value),
            "baseline_ratio_on": iso(s.facts["baseline_ratio"].day),
            "threshold_rise_pct": dec(p.mspike_pd_rel_pct),
            "threshold_rise_abs": dec(p.flc_pd_abs_mg_l),
        },
    )
