"""Tests reach record models through the registry (`tracker.record_types`), by kind, so that
renaming or adding a record type does not touch every test that counts or reads its rows."""

from tracker.record_types import BY_KIND


def record_model(kind: str):
    """The model of record kind `kind` ("lab", "visit", "treatment", ...)."""
    return BY_KIND[kind].model
