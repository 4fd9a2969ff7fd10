"""Synthetic follow-up timelines entered through the services."""

import datetime
from decimal import Decimal

import pytest

from tracker.services.labs import lab_result_record
from tracker.services.records import treatment_record, visit_record

D = datetime.date


T0 = D(2024, 6, 30)


def add_frontline(patient, actor, *, start=None, end=T0):
    """Frontline therapy whose end is the response anchor T0."""
    return treatment_record(
        patient=patient, actor=actor, category="systemic_anti_plasma_cell", intent="frontline", line=1,
        regimen="Rd", start_date=start or D(2024, 1, 1), end_date=end,
    )  # fmt: skip


def add_lab(patient, actor, day, analyte, value, specimen=""):
    return lab_result_record(
        patient=patient, actor=actor, analyte=analyte, specimen=specimen, collected_on=day, value=Decimal(value)
    )


def add_visit(patient, actor, day):
    return visit_record(patient=patient, actor=actor, visit_date=day)


@pytest.fixture
def followed(patient, staff_user):
    """T0 2024-06-30; a visit and a serum VEGF on 2024-09-30; nothing else since."""
    add_frontline(patient, staff_user)
    add_lab(patient, staff_user, D(2023, 12, 1), "vegf", "3000", "serum")
    add_visit(patient, staff_user, D(2024, 9, 30))
    add_lab(patient, staff_user, D(2024, 9, 30), "vegf", "500", "serum")
    return patient
