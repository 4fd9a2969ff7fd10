"""The flag record the rules produce, and the vocabulary shared by every rule module."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

INFO = "info"
AMBER = "amber"
RED = "red"
SEVERITY_RANK = {INFO: 0, AMBER: 1, RED: 2}

OPEN = "open"
CLOSED = "closed"

RULE_ORDER = (
    "R1",
    "R1c",
    "R2",
    "R2b",
    "R3",
    "R3c",
    "R3b",
    "R3f",
    "R4",
    "R4c",
    "R5",
    "R6",
    "R7",
    "R8",
    "R9",
    "R10",
    "R11",
    "R12",
    "R13",
    "R14",
)
"""Section 6.5 order, used to list flags raised on the same day predictably."""


@dataclass(frozen=True)
class FlagResult:
    """One rule finding for one patient.

    `key` is the flag's identity: built from the rule, the series or record it concerns and
    the triggering date, so evaluating the same data again yields the same key and the
    database layer can upsert by it. `evidence` and `params` are JSON-safe.
    """

    key: str
    rule: str
    version: str
    severity: str
    domain: str
    raised_on: date
    status: str
    explanation: str
    evidence: dict = field(compare=True)
    params: dict = field(compare=True)

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


def flag_key(rule: str, subject: str, day: date) -> str:
    """Stable identity, e.g. "R1:vegf/serum/LabA:2024-10-14"."""
    return f"{rule}:{subject}:{day.isoformat()}"


def sort_key(flag: FlagResult) -> tuple:
    return (flag.raised_on, RULE_ORDER.index(flag.rule), flag.key)


def patient_status(flags: tuple[FlagResult, ...] | list[FlagResult]) -> str:
    """Highest open severity; INFO never raises the status above green."""
    rank = max((SEVERITY_RANK[f.severity] for f in flags if f.is_open), default=0)
    return {2: RED, 1: AMBER}.get(rank, "green")
