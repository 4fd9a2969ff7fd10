"""Fixtures for the portal tests: a signed-in patient."""

import pytest


@pytest.fixture
def patient_client(client, patient_user):
    client.force_login(patient_user)
    return client
