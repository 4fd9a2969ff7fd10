"""AMBER-then-confirmed-RED rules (R1/R1c, R3/R3c, R3b, R3f, R4/R4c) share one life cycle.

A result meeting the rule raises an AMBER; the next consecutive result of the series either
meets it too (a RED confirmation, its own flag; the AMBER stays open) or does not (the AMBER
is closed and stays in the history). This module replays a series to find those episodes and
turns them into flags, so each rule only says what "meets" means and how to word it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from tracker.rules.explain import iso
from tracker.rules.flags import AMBER, CLOSED, OPEN, RED, FlagResult, flag_key
from tracker.rules.series import Context, Obs, is_replicate


@dataclass(frozen=True)
class Step:
    """One observation judged against a rule; `facts` carries what the wording needs."""

    obs: Obs
    meets: bool
    facts: dict = field(default_factory=dict)


@dataclass
class Episode:
    """A run of results meeting a rule: its trigger, its confirmation, or what closed it."""

    trigger: Step
    confirmation: Step | None = None
    closed_by: Step | None = None
    meeting_results: int = 1


def confirmation_episodes(steps: Sequence[Step], *, n: int, min_days: int) -> list[Episode]:
    """Replay a series in date order and group the results that meet a rule into episodes.

    - A meeting result with no episode running starts one (the AMBER).
    - Each later *consecutive* result (>= `min_days` after its predecessor) that meets counts
      towards confirmation; the `n`-th meeting result confirms the episode (the RED). Further
      meeting results belong to the same episode, so a long rise raises one AMBER and one RED.
    - A result that does not meet ends the episode; if it was not yet confirmed it is closed
      (section 6.5: an AMBER not confirmed by the next consecutive value is closed).
    - A replicate (< `min_days` after its predecessor) supersedes it: if it meets it earns no
      confirmation credit; if it does not, the episode ends as above. A confirmed episode is
      never un-confirmed by a replicate: a RED stays for the consultant to review.
    """
    episodes: list[Episode] = []
    current: Episode | None = None
    previous: date | None = None
    for step in steps:
        replicate = previous is not None and is_replicate(previous, step.obs.day, min_days)
        previous = step.obs.day
        if current is not None:
            if not step.meets:
                if current.confirmation is None:
                    current.closed_by = step
                current = None
            elif not replicate and current.confirmation is None:
                current.meeting_results += 1
                if current.meeting_results >= n:
                    current.confirmation = step
            continue
        if step.meets:
            current = Episode(trigger=step, confirmation=step if n <= 1 else None)
            episodes.append(current)
    return episodes


@dataclass(frozen=True)
class EpisodeRule:
    """How one AMBER/RED rule is named and worded.

    `finding(step)` is the main clause ("VEGF 1,200 pg/mL (serum) on ... is above ...");
    `threshold(step)` the threshold clause ("threshold 50%"); `value(step)` a short value for
    back-references ("750 pg/mL"); `evidence(step)` the rule's JSON-safe evidence.
    """

    rule: str
    confirm_rule: str
    confirm_label: str
    domain: str
    ids_key: str
    finding: Callable[[Step], str]
    threshold: Callable[[Step], str]
    value: Callable[[Step], str]
    evidence: Callable[[Step], dict]


def episode_flags(ctx: Context, rule: EpisodeRule, subject: str, steps: Sequence[Step]) -> list[FlagResult]:
    """AMBER per episode (closed if unconfirmed and contradicted) plus a RED per confirmation."""
    flags: list[FlagResult] = []
    params = ctx.params
    for episode in confirmation_episodes(steps, n=params.confirm_n, min_days=params.confirm_min_days):
        flags.append(_amber(ctx, rule, subject, episode))
        if episode.confirmation is not None:
            flags.append(_red(ctx, rule, subject, episode))
    return flags


def _amber(ctx: Context, rule: EpisodeRule, subject: str, episode: Episode) -> FlagResult:
    trigger = episode.trigger
    evidence = {rule.ids_key: list(trigger.obs.ids), **rule.evidence(trigger)}
    sentence = f"{rule.finding(trigger)}; {rule.threshold(trigger)}"
    closer = episode.closed_by
    if closer is not None:
        evidence["closed_on"] = iso(closer.obs.day)
        evidence["closed_by_" + rule.ids_key] = list(closer.obs.ids)
        sentence += (
            f"; closed because the next result, {rule.value(closer)} on {iso(closer.obs.day)}, did not meet the rule"
        )
    return ctx.flag(
        rule.rule,
        severity=AMBER,
        domain=rule.domain,
        subject=subject,
        raised_on=trigger.obs.day,
        explanation=sentence + ".",
        evidence=evidence,
        status=CLOSED if closer is not None else OPEN,
    )


def _red(ctx: Context, rule: EpisodeRule, subject: str, episode: Episode) -> FlagResult:
    trigger, confirmation = episode.trigger, episode.confirmation
    assert confirmation is not None
    ids = list(dict.fromkeys(trigger.obs.ids + confirmation.obs.ids))
    evidence = {
        rule.ids_key: ids,
        **rule.evidence(confirmation),
        "confirms": flag_key(rule.rule, subject, trigger.obs.day),
        "first_raised_on": iso(trigger.obs.day),
        "consecutive_results": ctx.params.confirm_n,
    }
    following = "" if confirmation is trigger else f", confirming {rule.value(trigger)} on {iso(trigger.obs.day)}"
    return ctx.flag(
        rule.confirm_rule,
        severity=RED,
        domain=rule.domain,
        subject=subject,
        raised_on=confirmation.obs.day,
        explanation=(f"{rule.confirm_label}: {rule.finding(confirmation)}{following}; {rule.threshold(confirmation)}."),
        evidence=evidence,
        variant="confirmed" if rule.confirm_rule == rule.rule else "",
    )
