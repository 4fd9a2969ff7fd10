"""Clinic, nerve conduction, self-report and imaging rules: R4/R4c, R5, R6, R7, R8, R9.

Choices where section 6.5 leaves room (all pass the section 8 vectors):

- R4 judges ONLS and INCAT each against its own best (lowest) post-T0 score from earlier
  visits; a visit meeting either is one R4 result. Visits with neither score are skipped.
- R5 compares each nerve/side/site/kind row with earlier post-T0 rows of the same lab: CMAP
  (motor) at or below best x (1 - drop), conduction velocity at or below best x (1 - drop), or
  absent now after a recorded response. One AMBER per study (date + lab) lists every nerve.
- R6 compares each watched item with the most recent earlier report that answered it.
- R7 merges weights from visits and self-reports (a visit weight wins on the same day) and
  compares each weight with every weight of the previous `CFG_WEIGHT_WINDOW_D` days, using the
  largest change; consecutive weights still beyond the threshold in the same direction belong
  to the first one's flag.
- R9 is like R4 for mRS and ECOG, and raises again only after a visit that did not meet it.
- R8 needs no anchor and no confirmation (the category is radiologist-verified).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from tracker.rules.data import NcsPoint, VisitPoint
from tracker.rules.episodes import EpisodeRule, Step, episode_flags
from tracker.rules.explain import iso, join_words, pct_change, percent, quantity
from tracker.rules.flags import AMBER, RED, FlagResult
from tracker.rules.series import Anchor, Context, Obs, with_history

R6_ITEMS = ("swelling", "breathlessness", "skin_changes", "headache_vision", "weakness", "numbness_tingling")
MODALITY_LABELS = {"pet_ct": "PET-CT", "ct": "CT", "mri": "MRI", "xray": "X-ray"}


def _points(n: int) -> str:
    return f"{n} point" if n == 1 else f"{n} points"


def _score_findings(
    obs: Obs, prior: Sequence[Obs], ctx: Context, scales: Sequence[tuple[str, str, int]]
) -> tuple[list[dict], Anchor | None]:
    """Per scale (label, VisitPoint attribute, change points): worse than the post-T0 best?"""
    anchor = ctx.timeline.t0_before(obs.day)
    if anchor is None:
        return [], None
    findings = []
    for label, attr, change in scales:
        current = getattr(obs.source, attr)
        scored = [p for p in prior if p.day > anchor.day and getattr(p.source, attr) is not None]
        if current is None or not scored:
            continue
        best = min(scored, key=lambda p: (getattr(p.source, attr), p.day))
        best_score = getattr(best.source, attr)
        if current >= best_score + change:
            findings.append(
                {
                    "scale": label,
                    "score": current,
                    "best": best_score,
                    "best_on": best.day,
                    "best_visit_id": best.source.id,
                    "change": change,
                }
            )
    return findings, anchor


def _score_sentence(obs: Obs, findings: list[dict]) -> str:
    parts = [
        f"{f['scale']} {f['score']} on {iso(obs.day)} is {_points(f['score'] - f['best'])} worse"
        f" than the best post-treatment score of {f['best']} on {iso(f['best_on'])}"
        for f in findings
    ]
    return join_words(parts)


def _score_evidence(step: Step) -> dict:
    return {
        "t0": iso(step.facts["t0"]),
        "scores": [
            {
                "scale": f["scale"],
                "score": f["score"],
                "best": f["best"],
                "best_on": iso(f["best_on"]),
                "best_visit_id": f["best_visit_id"],
                "threshold_points": f["change"],
            }
            for f in step.facts["findings"]
        ],
    }


def _visit_obs(visits: Sequence[VisitPoint], attrs: Sequence[str]) -> list[Obs]:
    return [Obs(v.visit_date, None, (v.id,), v) for v in visits if any(getattr(v, a) is not None for a in attrs)]


def _scores_text(visit: VisitPoint) -> str:
    parts = [
        f"ONLS {visit.onls_total}" if visit.onls_total is not None else "",
        f"INCAT {visit.incat_total}" if visit.incat_total is not None else "",
    ]
    return join_words([p for p in parts if p])


def neuro_score_flags(ctx: Context) -> list[FlagResult]:
    """R4 AMBER on ONLS/INCAT worsening vs best post-T0; R4c RED when confirmed."""
    p = ctx.params
    scales = (("ONLS", "onls_total", p.onls_change_points), ("INCAT", "incat_total", p.incat_change_points))
    steps = []
    for obs, prior in with_history(_visit_obs(ctx.data.visits, ("onls_total", "incat_total")), p.confirm_min_days):
        findings, anchor = _score_findings(obs, prior, ctx, scales)
        steps.append(Step(obs, bool(findings), {"findings": findings, "t0": anchor.day if anchor else None}))
    rule = EpisodeRule(
        rule="R4",
        confirm_rule="R4c",
        confirm_label="Clinical progression",
        domain="clinical",
        ids_key="visit_ids",
        finding=lambda s: _score_sentence(s.obs, s.facts["findings"]),
        threshold=lambda s: join_words(
            [f"threshold {_points(f['change'])} ({f['scale']})" for f in s.facts["findings"]]
        ),
        value=lambda s: _scores_text(s.obs.source),
        evidence=_score_evidence,
    )
    return episode_flags(ctx, rule, "neuro_scores", steps)


def function_score_flags(ctx: Context) -> list[FlagResult]:
    """R9 AMBER when mRS or ECOG is worse than its best post-T0 score."""
    change = ctx.params.mrs_ecog_change_points
    scales = (("mRS", "mrs", change), ("ECOG", "ecog", change))
    flags: list[FlagResult] = []
    previous_met = False
    for obs, prior in with_history(_visit_obs(ctx.data.visits, ("mrs", "ecog")), ctx.params.confirm_min_days):
        findings, anchor = _score_findings(obs, prior, ctx, scales)
        if findings and not previous_met:
            step = Step(obs, True, {"findings": findings, "t0": anchor.day})
            flags.append(
                ctx.flag(
                    "R9",
                    severity=AMBER,
                    domain="clinical",
                    subject="function_scores",
                    raised_on=obs.day,
                    explanation=f"{_score_sentence(obs, findings)}; threshold {_points(change)}.",
                    evidence={"visit_ids": list(obs.ids), **_score_evidence(step)},
                )
            )
        previous_met = bool(findings)
    return flags


# --- R5 --------------------------------------------------------------------------------------


def _nerve_text(row: NcsPoint) -> str:
    site = row.site.replace("_", " ") if row.site else "distal"
    return f"{row.side} {row.nerve.replace('_', ' ')} {row.kind} ({site})"


def _ncs_findings(ctx: Context, obs: Obs, prior: Sequence[Obs]) -> list[dict]:
    p = ctx.params
    anchor = ctx.timeline.t0_before(obs.day)
    if anchor is None:
        return []
    row: NcsPoint = obs.source
    earlier = [o.source for o in prior if o.day > anchor.day]
    found = []
    if row.absent:
        present = [r for r in earlier if not r.absent]
        if present:
            found.append({"kind": "newly_absent", "row": row, "best": present[-1]})
        return found
    for attr, drop, unit in (("cmap_amp_mv", p.ncs_cmap_drop_pct, "mV"), ("cv_ms", p.ncs_cv_drop_pct, "m/s")):
        value = getattr(row, attr)
        candidates = [r for r in earlier if getattr(r, attr) is not None and not r.absent]
        if value is None or not candidates or (attr == "cmap_amp_mv" and row.kind != "motor"):
            continue
        best = max(candidates, key=lambda r: (getattr(r, attr), r.study_date))
        best_value = getattr(best, attr)
        if best_value > 0 and value <= best_value * (1 - drop / 100):
            found.append(
                {
                    "kind": attr,
                    "row": row,
                    "best": best,
                    "value": value,
                    "best_value": best_value,
                    "unit": unit,
                    "drop": drop,
                }
            )
    return found


def _ncs_phrase(f: dict) -> str:
    row, best = f["row"], f["best"]
    if f["kind"] == "newly_absent":
        return (
            f"the {_nerve_text(row)} response is absent on {iso(row.study_date)} after a"
            f" recorded response on {iso(best.study_date)}"
        )
    label = "CMAP" if f["kind"] == "cmap_amp_mv" else "conduction velocity"
    change = pct_change(f["value"], f["best_value"])
    return (
        f"{_nerve_text(row)} {label} {quantity(f['value'], f['unit'])} on {iso(row.study_date)}"
        f" is {percent(-change)} below the best post-treatment value of"
        f" {quantity(f['best_value'], f['unit'])} on {iso(best.study_date)}"
    )


def ncs_flags(ctx: Context) -> list[FlagResult]:
    """R5 AMBER per NCS study with any worsening nerve (never RED on its own)."""
    series: dict[tuple, list[Obs]] = {}
    for row in ctx.data.ncs:
        key = (row.nerve, row.side, row.site, row.kind, row.lab)
        series.setdefault(key, []).append(Obs(row.study_date, None, (row.id,), row))
    by_study: dict[tuple, list[dict]] = {}
    for obs_list in series.values():
        for obs, prior in with_history(obs_list, ctx.params.confirm_min_days):
            for finding in _ncs_findings(ctx, obs, prior):
                by_study.setdefault((obs.day, obs.source.lab), []).append(finding)
    flags = []
    for (day, lab), findings in sorted(by_study.items()):
        findings.sort(key=lambda f: f["row"].id)
        drops = sorted({(f["kind"], f["drop"]) for f in findings if "drop" in f})
        thresholds = [f"{percent(d)} ({'CMAP' if k == 'cmap_amp_mv' else 'conduction velocity'})" for k, d in drops]
        tail = f"; threshold {join_words(thresholds)}" if thresholds else ""
        sentence = join_words([_ncs_phrase(f) for f in findings]) + tail + "."
        flags.append(
            ctx.flag(
                "R5",
                severity=AMBER,
                domain="ncs",
                subject=f"ncs/{lab or '-'}",
                raised_on=day,
                explanation=sentence[0].upper() + sentence[1:],
                evidence={
                    "ncs_ids": sorted({i for f in findings for i in (f["row"].id, f["best"].id)}),
                    "findings": [_ncs_evidence(f) for f in findings],
                },
            )
        )
    return flags


def _ncs_evidence(f: dict) -> dict:
    row, best = f["row"], f["best"]
    entry = {
        "kind": f["kind"],
        "nerve": row.nerve,
        "side": row.side,
        "site": row.site,
        "ncs_id": row.id,
        "best_ncs_id": best.id,
        "best_on": iso(best.study_date),
    }
    if "value" in f:
        entry.update(
            value=str(f["value"]), best_value=str(f["best_value"]), unit=f["unit"], threshold_drop_pct=str(f["drop"])
        )
    return entry


# --- R6 / R7 ---------------------------------------------------------------------------------


def symptom_flags(ctx: Context) -> list[FlagResult]:
    """R6 AMBER when a watched self-reported item rises by the threshold vs its previous answer."""
    rise_needed = ctx.params.symptom_rise_points
    flags: list[FlagResult] = []
    last_answer: dict[str, tuple[int, object]] = {}
    for report in ctx.data.symptoms:
        rises = []
        for item in R6_ITEMS:
            score = report.items.get(item)
            if score is None:
                continue
            if item in last_answer and score - last_answer[item][0] >= rise_needed:
                rises.append((item, last_answer[item], score))
            last_answer[item] = (score, report)
        if not rises:
            continue
        phrases = [
            f"{item.replace('_', ' ')} {'rose ' if i == 0 else ''}from {before} ({iso(prev.reported_on)}) to {score}"
            for i, (item, (before, prev), score) in enumerate(rises)
        ]
        flags.append(
            ctx.flag(
                "R6",
                severity=AMBER,
                domain="symptoms",
                subject="symptoms",
                raised_on=report.reported_on,
                explanation=(
                    f"On {iso(report.reported_on)} self-reported {join_words(phrases)} on the 0-10 scale;"
                    f" threshold {_points(rise_needed)}."
                ),
                evidence={
                    "symptom_ids": sorted({report.id} | {prev.id for _, (_, prev), _ in rises}),
                    "items": [
                        {"item": item, "previous": before, "previous_on": iso(prev.reported_on), "current": score}
                        for item, (before, prev), score in rises
                    ],
                    "threshold_points": rise_needed,
                },
            )
        )
    return flags


def _weights(ctx: Context) -> list[Obs]:
    by_day: dict = {}
    for s in ctx.data.symptoms:
        if s.weight_kg is not None:
            by_day[s.reported_on] = Obs(s.reported_on, s.weight_kg, (s.id,), s)
    for v in ctx.data.visits:
        if v.weight_kg is not None:
            by_day[v.visit_date] = Obs(v.visit_date, v.weight_kg, (v.id,), v)
    return [by_day[d] for d in sorted(by_day)]


def _ids_of(obs_list: Sequence[Obs]) -> dict[str, list[int]]:
    visit_ids = [o.source.id for o in obs_list if isinstance(o.source, VisitPoint)]
    symptom_ids = [o.source.id for o in obs_list if not isinstance(o.source, VisitPoint)]
    return {"visit_ids": visit_ids, "symptom_ids": symptom_ids}


def weight_flags(ctx: Context) -> list[FlagResult]:
    """R7 AMBER when weight changes by the threshold within the window (gain or loss)."""
    p = ctx.params
    weights = _weights(ctx)
    flags: list[FlagResult] = []
    previous_direction = 0
    for i, current in enumerate(weights):
        refs = [w for w in weights[:i] if (current.day - w.day).days <= p.weight_window_d]
        changes = [(pct_change(current.value, w.value), w) for w in refs if w.value]
        change, ref = max(changes, key=lambda c: (abs(c[0]), -c[1].day.toordinal()), default=(Decimal(0), None))
        direction = (1 if change > 0 else -1) if ref and abs(change) >= p.weight_change_pct else 0
        if direction and direction != previous_direction:
            word, meaning = ("higher", "possibly fluid") if direction > 0 else ("lower", "weight loss")
            flags.append(
                ctx.flag(
                    "R7",
                    severity=AMBER,
                    domain="symptoms",
                    subject="weight",
                    raised_on=current.day,
                    explanation=(
                        f"Weight {quantity(current.value, 'kg')} on {iso(current.day)} is"
                        f" {percent(abs(change))} {word} than {quantity(ref.value, 'kg')} on"
                        f" {iso(ref.day)} ({meaning}); threshold {percent(p.weight_change_pct)}"
                        f" within {p.weight_window_d} days."
                    ),
                    evidence={
                        **_ids_of([ref, current]),
                        "weights_kg": [str(ref.value), str(current.value)],
                        "dates": [iso(ref.day), iso(current.day)],
                        "change_pct": str(change),
                        "threshold_pct": str(p.weight_change_pct),
                        "window_days": p.weight_window_d,
                    },
                )
            )
        previous_direction = direction
    return flags


# --- R8 --------------------------------------------------------------------------------------


def imaging_flags(ctx: Context) -> list[FlagResult]:
    """R8 RED for a radiologist-reported PD or a new lesion."""
    flags = []
    for study in ctx.data.imaging:
        if study.response_category != "PD" and not study.new_lesion:
            continue
        reasons = []
        if study.response_category == "PD":
            reasons.append("progressive disease (PD)")
        if study.new_lesion:
            reasons.append("a new lesion")
        modality = MODALITY_LABELS.get(study.modality, study.modality)
        flags.append(
            ctx.flag(
                "R8",
                severity=RED,
                domain="radiographic",
                subject=f"imaging/{study.modality}",
                raised_on=study.study_date,
                explanation=(
                    f"Radiological progression: {modality} on {iso(study.study_date)} reports {join_words(reasons)}."
                ),
                evidence={
                    "imaging_ids": [study.id],
                    "response_category": study.response_category,
                    "new_lesion": study.new_lesion,
                },
            )
        )
    return flags
