"""Fixtures for the service tests: the acting staff member and a count of every record kind."""

import datetime

import pytest

from tracker.record_types import RECORD_TYPES

# Every audited record model the registry knows (patients, clinical entries, their parts, flags).
RECORD_MODELS = tuple(rt.model for rt in RECORD_TYPES)

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
