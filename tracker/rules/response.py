"""Best response per domain since the latest anchor (POEMS-DOMAIN.md section 6.4).

Choices where section 6.4 leaves room (all pass the section 8 vectors):

- "Computed at each result >= T0 + 90 d; best = best ever since T0": only results dated at
  least `CFG_RESPONSE_WINDOW_D` days after T0 are assessed, and the best of them counts (for
  VEGF and M-protein the lowest value is the nadir of 6.4). Earlier post-T0 values reflect
  treatment still acting and are not a response.
- VEGF: each interpretable series (R14 results left out) is judged on its own; a series without
  a baseline (for instance one started after T0) is `not_evaluable`. When several series are
  evaluable the best category wins, so a specimen switch after T0 keeps the serum response
  (TV-07).
- Haematological: with an unmeasurable baseline M-spike, anything short of a confirmed CR is
  `IFE_positive_unmeasurable` (a single negative IFE is not yet a CR). With a measurable one and
  no assessable M-protein yet, `not_evaluable`.
- Neuro: ONLS when it has a baseline and an assessable visit, else INCAT; `improved`/`worse`
  compare the best assessable score with the baseline.
- PET: the radiologist's categories of PET-CT studies after T0; the best one counts.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from tracker.rules.haem_rules import haem_cr, ife_stream, is_measurable, mspike_baseline
from tracker.rules.lab_rules import interpretable_vegf, vegf_uln
from tracker.rules.series import (
    Anchor,
    Context,
    Obs,
    baseline,
    lab_obs,
    lowest,
    representatives,
)

NOT_EVALUABLE = "not_evaluable"
VEGF_ORDER = ("CR", "PR", "NR")
PET_ORDER = ("CR", "PR", "SD", "PD")


def best_responses(ctx: Context) -> dict[str, str]:
    """The `response` block of the flags report: vegf, haematological, neuro, pet."""
    anchor = ctx.timeline.latest()
    if anchor is None:
        return {
            "vegf": NOT_EVALUABLE,
            "haematological": NOT_EVALUABLE,
            "neuro": NOT_EVALUABLE,
            "pet": "not_done",
        }
    return {
        "vegf": vegf_response(ctx, anchor),
        "haematological": haem_response(ctx, anchor),
        "neuro": neuro_response(ctx, anchor),
        "pet": pet_response(ctx, anchor),
    }


def _assessable(ctx: Context, obs: list[Obs], anchor: Anchor) -> list[Obs]:
    """Values that count (latest replicate) dated in the response window or later."""
    start = anchor.day + timedelta(days=ctx.params.response_window_d)
    return [o for o in representatives(obs, ctx.params.confirm_min_days) if o.day >= start]


def vegf_response(ctx: Context, anchor: Anchor) -> str:
    categories = [_vegf_series_response(ctx, anchor, lab_obs(points)) for points in interpretable_vegf(ctx).values()]
    evaluable = [c for c in categories if c != NOT_EVALUABLE]
    return min(evaluable, key=VEGF_ORDER.index) if evaluable else NOT_EVALUABLE


def _vegf_series_response(ctx: Context, anchor: Anchor, obs: list[Obs]) -> str:
    base = baseline(obs, anchor, ctx.params.baseline_lookback_d)
    base_uln = vegf_uln(base.source, ctx) if base else None
    if base is None or base_uln is None or base.value <= base_uln:
        return NOT_EVALUABLE
    nadir = lowest(_assessable(ctx, obs, anchor))
    nadir_uln = vegf_uln(nadir.source, ctx) if nadir else None
    if nadir is None or nadir_uln is None:
        return NOT_EVALUABLE
    if nadir.value <= nadir_uln:
        return "CR"
    if nadir.value <= base.value * (1 - ctx.params.vegf_pr_drop_pct / 100):
        return "PR"
    return "NR"


def haem_response(ctx: Context, anchor: Anchor) -> str:
    p = ctx.params
    base_ife = baseline(ife_stream(ctx, "serum"), anchor, p.baseline_lookback_d)
    if base_ife is None or base_ife.source.category != "positive":
        return NOT_EVALUABLE
    window_start = anchor.day + timedelta(days=p.response_window_d)
    if haem_cr(ctx, anchor, assessed_from=window_start) is not None:
        return "CR"
    base_mspike = mspike_baseline(ctx, anchor)
    if not is_measurable(ctx, base_mspike):
        return "IFE_positive_unmeasurable"
    mspikes = lab_obs([lab for lab in ctx.data.labs if lab.analyte == "m_protein" and lab.specimen == "serum"])
    nadir = lowest(_assessable(ctx, mspikes, anchor))
    if nadir is None:
        return NOT_EVALUABLE
    fall_pct = (base_mspike.value - nadir.value) / base_mspike.value * 100
    if fall_pct >= p.haem_vgpr_fall_pct:
        return "VGPR"
    if fall_pct >= p.haem_pr_fall_pct:
        return "PR"
    return "NR"


def neuro_response(ctx: Context, anchor: Anchor) -> str:
    p = ctx.params
    for attr, change in (
        ("onls_total", p.onls_change_points),
        ("incat_total", p.incat_change_points),
    ):
        obs = [
            Obs(v.visit_date, Decimal(getattr(v, attr)), (v.id,), v)
            for v in ctx.data.visits
            if getattr(v, attr) is not None
        ]
        base = baseline(obs, anchor, p.baseline_lookback_d)
        best = lowest(_assessable(ctx, obs, anchor))
        if base is None or best is None:
            continue
        if base.value - best.value >= change:
            return "improved"
        if best.value >= base.value + change:
            return "worse"
        return "stable"
    return NOT_EVALUABLE


def pet_response(ctx: Context, anchor: Anchor) -> str:
    categories = [
        study.response_category
        for study in ctx.data.imaging
        if study.modality == "pet_ct" and study.study_date > anchor.day and study.response_category in PET_ORDER
    ]
    return min(categories, key=PET_ORDER.index) if categories else "not_done"
