"""The demo sign-ins: a warning before registering the first real patient switches them off, and a
sign-in page that says why a demo login stopped working."""

import pytest

from tests.factories import PASSWORD, ClinicFactory, PatientFactory, UserFactory
from tracker.roles import CONSULTANT, PATIENT, STAFF
from tracker.services.patients import DEMO_RETIRED_MESSAGE, demo_account_retired, demo_accounts_active

LOGIN = "/accounts/login/"
WARNING = "Registering a real patient switches them off"


@pytest.fixture
def demo(db):
    """The seeded demo clinic: its three published sign-ins and the demo patient."""
    clinic = ClinicFactory(code="demo", name="Demo clinic")
    staff = UserFactory(username="staff", role=STAFF, clinics=[clinic])
    UserFactory(username="consultant", role=CONSULTANT, clinics=[clinic])
    patient = PatientFactory(clinic=clinic, mrn="DEMO-001", is_demo=True)
    patient.user = UserFactory(username="patient", role=PATIENT)
    patient.save()
    return {"clinic": clinic, "staff": staff}


def _register(client, clinic, mrn="R0001"):
    return client.post(
        "/patients/new/",
        {
            "mrn": mrn,
            "given_name": "Real",
            "family_name": "Person",
            "birth_date": "1970-01-01",
            "sex": "female",
            "clinic": clinic.pk,
            "light_chain": "unknown",
            "report_interval_days": 28,
        },
    )


def test_register_page_warns_while_demo_accounts_are_on(client, demo):
    client.force_login(demo["staff"])
    page = client.get("/patients/new/").content.decode()
    assert WARNING in page
    assert "consultant, patient, staff" in page


def test_register_page_has_no_warning_without_demo_accounts(staff_client):
    assert WARNING not in staff_client.get("/patients/new/").content.decode()


def test_registering_as_the_demo_staff_signs_out_and_explains(client, demo):
    client.force_login(demo["staff"])
    response = _register(client, demo["clinic"])
    assert (response.status_code, response.url) == (302, "/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert demo_accounts_active() == []
    page = client.get(LOGIN).content.decode()
    assert "Registered Real Person (R0001)." in page
    assert DEMO_RETIRED_MESSAGE in page


def test_registering_as_real_staff_keeps_them_signed_in(client, demo, staff_user, clinic):
    client.force_login(staff_user)
    response = _register(client, clinic)
    assert response.status_code == 302 and response.url.startswith("/patients/")
    assert "_auth_user_id" in client.session
    assert demo_accounts_active() == []


def test_a_switched_off_demo_sign_in_is_explained(client, demo, staff_user, clinic):
    client.force_login(staff_user)
    _register(client, clinic)
    client.logout()
    for username in ("staff", "consultant", "patient"):
        assert demo_account_retired(username)
        page = client.post(LOGIN, {"username": username, "password": "demo-clinic-2026"}).content.decode()
        assert DEMO_RETIRED_MESSAGE in page
        assert "Please enter a correct username" not in page
        assert "_auth_user_id" not in client.session


def test_an_active_demo_account_with_a_wrong_password_gets_the_usual_message(client, demo):
    page = client.post(LOGIN, {"username": "staff", "password": "wrong-password"}).content.decode()
    assert DEMO_RETIRED_MESSAGE not in page
    assert "Please enter a correct username and password" in page


def test_a_switched_off_real_account_named_like_a_demo_gets_the_usual_message(client, clinic):
    UserFactory(username="staff", role=STAFF, clinics=[clinic], is_active=False)
    assert not demo_account_retired("staff")
    page = client.post(LOGIN, {"username": "staff", "password": PASSWORD}).content.decode()
    assert DEMO_RETIRED_MESSAGE not in page
    assert "Please enter a correct username and password" in page
