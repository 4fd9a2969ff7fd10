"""Bone marrow in the haematological complete response: IMWG CR needs fewer than 5% marrow
plasma cells (POEMS-DOMAIN.md 6.1 [S27]). A marrow not examined after T0 does not hold the CR
back (like urine immunofixation, 6.4); the latest biopsy after T0 with a count decides."""

from __future__ import annotations

import pytest
from rules_builders import evaluate, ife, marrow, only, patient, treatment

ANCHOR = treatment("2024-01-01", "2024-03-31", anchor="2024-03-31")


def two_negatives(*later):
    """Baseline serum IFE positive; negative serum IFEs on 2024-07-01 and 2024-08-01."""
    return patient(
        ANCHOR,
        ife("2023-12-20", "positive"),
        ife("2024-07-01", "negative"),
        ife("2024-08-01", "negative"),
        *later,
    )


def haem(data, as_of="2024-08-31", **settings) -> str:
    return evaluate(data, as_of, **settings).response["haematological"]


@pytest.mark.parametrize(
    ("pct", "category"),
    [("0", "CR"), ("4.9", "CR"), ("5.0", "IFE_positive_unmeasurable"), ("30", "IFE_positive_unmeasurable")],
)
def test_a_marrow_after_t0_decides_the_cr_at_five_percent(pct, category):
    assert haem(two_negatives(marrow("2024-07-15", pct))) == category


def test_without_a_marrow_after_t0_the_ife_decides():
    assert haem(two_negatives()) == "CR"
    assert haem(two_negatives(marrow("2024-07-15"))) == "CR"  # biopsy without a plasma-cell count


def test_a_diagnostic_marrow_before_t0_does_not_count():
    assert haem(two_negatives(marrow("2023-12-20", "40"))) == "CR"


def test_a_marrow_after_the_confirming_ife_does_not_undo_the_cr_reached_before_it():
    """The CR is dated by the second negative IFE and judged on the marrow known by then (best
    response since T0). The spec's relapse from CR is the paraprotein's reappearance (R3), so a
    later marrow at or over 5% raises no flag of its own."""
    data = two_negatives(marrow("2024-08-10", "12"))
    result = evaluate(data, "2024-08-31")
    assert result.response["haematological"] == "CR" and result.flags == ()


def test_a_later_clear_marrow_lets_the_next_negative_pair_complete_the_cr():
    data = two_negatives(
        marrow("2024-07-15", "12"),
        marrow("2024-09-01", "2"),
        ife("2024-09-15", "negative"),
        ife("2024-10-15", "positive"),
    )
    assert haem(data, "2024-09-10") == "IFE_positive_unmeasurable"
    result = evaluate(data, "2024-10-31")
    r3 = only(result, "R3")
    assert "after the haematological complete response of 2024-09-15" in r3.explanation
    assert r3.evidence["cr_on"] == "2024-09-15"


def test_no_relapse_from_cr_while_the_marrow_held_the_cr_back():
    data = two_negatives(marrow("2024-07-15", "8"), ife("2024-10-01", "positive"), ife("2024-11-01", "positive"))
    assert not [f for f in evaluate(data, "2024-11-30").flags if f.rule in ("R3", "R3c")]
    assert {f.rule for f in evaluate(two_negatives(ife("2024-10-01", "positive")), "2024-10-31").flags} == {"R3"}


def test_the_limit_is_a_setting():
    data = two_negatives(marrow("2024-07-15", "8"))
    assert haem(data) == "IFE_positive_unmeasurable"
    assert haem(data, CFG_MARROW_CR_PC_PCT="10") == "CR"
