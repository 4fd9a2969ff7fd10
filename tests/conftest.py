"""Shared fixtures: a clinic with staff, a consultant, two patients with accounts, and an
outsider clinic whose staff must never see them."""

import pytest

from tests.factories import ClinicFactory, PatientFactory, UserFactory
from tracker.roles import CONSULTANT, PATIENT, STAFF


@pytest.fixture
def clinic(db):
    return ClinicFactory(code="north", name="North clinic")


@pytest.fixture
def other_clinic(db):
    return ClinicFactory(code="south", name="South clinic")


@pytest.fixture
def staff_user(clinic):
    return UserFactory(username="nurse", role=STAFF, clinics=[clinic])


@pytest.fixture
def consultant_user(clinic):
    return UserFactory(username="doctor", role=CONSULTANT, clinics=[clinic])


@pytest.fixture
def outsider_staff(other_clinic):
    return UserFactory(username="elsewhere", role=STAFF, clinics=[other_clinic])


@pytest.fixture
def patient(clinic):
    return PatientFactory(clinic=clinic, mrn="P001", given_name="Ada", family_name="Example", sex="female")


@pytest.fixture
def other_patient(clinic):
    return PatientFactory(clinic=clinic, mrn="P002", given_name="Ben", family_name="Sample", sex="male")


@pytest.fixture
def patient_user(patient):
    user = UserFactory(username="ada", role=PATIENT)
    patient.user = user
    patient.save()
    return user


@pytest.fixture
def other_patient_user(other_patient):
    user = UserFactory(username="ben", role=PATIENT)
    other_patient.user = user
    other_patient.save()
    return user


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def consultant_client(client, consultant_user):
    client.force_login(consultant_user)
    return client
