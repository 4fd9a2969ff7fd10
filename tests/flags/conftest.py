"""TV-08 (transient VEGF spike during infection) entered through the services."""

import datetime
from decimal import Decimal

import pytest

from tracker.services.labs import lab_result_record
from tracker.services.records import treatment_record

D = datetime.date


def add_vegf(patient, actor, day, value, **extra):
    return lab_result_record(
        patient=patient, actor=actor, analyte="vegf", specimen="serum", collected_on=day, value=Decimal(value), **extra
    )


@pytest.fixture
def tv08(patient, staff_user):
    """Frontline therapy to 2024-01-15 (anchor), then VEGF to the spike of 2024-10-14."""
    treatment_record(
        patient=patient,
        actor=staff_user,
        category="systemic_anti_plasma_cell",
        intent="frontline",
        line=1,
        regimen="Rd",
        start_date=D(2023, 12, 5),
        end_date=D(2024, 1, 15),
    )
    add_vegf(patient, staff_user, D(2023, 12, 1), "3500")
    add_vegf(patient, staff_user, D(2024, 4, 15), "800")
    add_vegf(patient, staff_user, D(2024, 7, 15), "700")
    spike = add_vegf(patient, staff_user, D(2024, 10, 14), "1200", confounders=["acute_illness"])
    return spike
