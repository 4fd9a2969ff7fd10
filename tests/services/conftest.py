"""Fixtures for the service tests: the acting staff member and a count of every record kind."""

import datetime

import pytest

from tracker.models import (
    DiagnosticChecklist,
    EngraftmentSyndrome,
    ImagingStudy,
    LabResult,
    NerveConductionResult,
    NerveConductionStudy,
    Patient,
    SymptomReport,
    Treatment,
    Visit,
)

RECORD_MODELS = (
    Patient,
    DiagnosticChecklist,
    LabResult,
    Treatment,
    EngraftmentSyndrome,
    Visit,
    ImagingStudy,
    SymptomReport,
    NerveConductionStudy,
    NerveConductionResult,
)

DAY = datetime.date(2025, 1, 15)


@pytest.fixture
def actor(staff_user):
    return staff_user


@pytest.fixture
def record_counts(db):
    """A callable returning {model name: row count, history rows included}, to prove nothing was saved."""

    def counts() -> dict[str, int]:
        return {model.__name__: (model.objects.count(), model.history.count()) for model in RECORD_MODELS}

    return counts
