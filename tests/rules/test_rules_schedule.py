"""Surveillance schedule (section 7) and explanation formatting helpers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rules_builders import d, evaluate, lab, patient, treatment, vegf, visit

from tracker.rules.explain import number, percent, quantity
from tracker.rules.schedule import DueItem, add_months

ANCHOR = treatment("2024-01-01", "2024-03-31", anchor="2024-03-31")


def test_nothing_is_due_before_any_anchor():
    assert evaluate(patient(visit("2020-01-01")), "2024-12-31").overdue == ()


def test_items_never_done_since_the_anchor_are_due_one_interval_after_it():
    result = evaluate(patient(ANCHOR, vegf("2023-12-20", 3000)), "2024-07-10")
    assert result.overdue == (
        DueItem("visit", None, d("2024-06-30"), 10),
        DueItem("vegf", d("2023-12-20"), d("2024-06-30"), 10),
        DueItem("fbc", None, d("2024-06-30"), 10),
    )


def test_done_on_time_is_not_overdue():
    data = patient(ANCHOR, visit("2024-06-15"), vegf("2024-06-15", 500), lab("2024-06-15", "platelets", 200))
    assert evaluate(data, "2024-09-15").overdue == ()
    assert [i.item for i in evaluate(data, "2024-09-16").overdue] == ["visit", "vegf", "fbc"]


def test_interval_lengthens_after_the_early_years():
    data = patient(ANCHOR, visit("2026-04-15"), vegf("2026-04-15", 500), lab("2026-04-15", "platelets", 200))
    assert evaluate(data, "2026-10-15").overdue == ()
    overdue = evaluate(data, "2026-10-20").overdue
    assert overdue[0] == DueItem("visit", d("2026-04-15"), d("2026-10-15"), 5)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [("2024-01-31", 1, "2024-02-29"), ("2024-11-30", 3, "2025-02-28"), ("2024-03-31", 6, "2024-09-30")],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(d(start), months) == d(expected)


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("1100"), "1,100"), (Decimal("96.2"), "96.2"), (Decimal("2.0"), "2.0"), (Decimal("1E+3"), "1,000")],
)
def test_numbers_read_with_thousands_separators(value, text):
    assert number(value) == text


def test_quantities_and_percentages():
    assert quantity(Decimal("430"), "10^9/L") == "430 ×10⁹/L"
    assert percent(Decimal("71.42857")) == "71.4%"
    assert percent(Decimal("50.00")) == "50%"
