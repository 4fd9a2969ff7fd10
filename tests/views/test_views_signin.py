"""Signing in through the login page: the audit trail and the lockout after repeated failures.

The sign-in audit is django-axes': AccessLog holds sign-ins (and their sign-out time),
AccessFailureLog every failed sign-in. Each is written once, not twice.
"""

import pytest
from axes.models import AccessFailureLog, AccessLog

from tests.factories import PASSWORD
from tracker.models import AuthEvent

LOGIN = "/accounts/login/"


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_page_is_public(client, db):
    assert client.get(LOGIN).status_code == 200


def test_successful_sign_in_is_recorded_and_lands_on_the_role_home(client, staff_user):
    response = sign_in(client, "nurse", PASSWORD)
    assert (response.status_code, response.url) == (302, "/")
    assert signed_in(client)
    event = AccessLog.objects.get()
    assert (event.username, event.ip_address, event.logout_time) == ("nurse", "127.0.0.1", None)
    assert not AccessFailureLog.objects.exists()
    assert not AuthEvent.objects.exists()


def test_failed_sign_in_is_recorded_with_the_username_tried(client, staff_user):
    response = sign_in(client, "nurse", "not-the-password")
    assert response.status_code == 200
    assert not signed_in(client)
    event = AccessFailureLog.objects.get()
    assert (event.username, event.ip_address, event.locked_out) == ("nurse", "127.0.0.1", False)
    assert not AccessLog.objects.exists()


def test_sign_in_with_an_unknown_username_is_recorded_as_failed(client, db):
    sign_in(client, "ghost", "whatever-password")
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == ["ghost"]


def test_sign_out_is_recorded(client, staff_user):
    sign_in(client, "nurse", PASSWORD)
    client.post("/accounts/logout/")
    assert not signed_in(client)
    event = AccessLog.objects.get()
    assert event.username == "nurse" and event.logout_time is not None


def test_sixth_attempt_with_the_right_password_is_refused_after_five_failures(client, staff_user):
    for _ in range(5):
        sign_in(client, "nurse", "wrong-password")
    response = sign_in(client, "nurse", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    assert not AccessLog.objects.exists()
    assert AccessFailureLog.objects.filter(username="nurse").count() >= 5


def test_four_failures_then_the_right_password_still_signs_in(client, staff_user):
    for _ in range(4):
        sign_in(client, "nurse", "wrong-password")
    response = sign_in(client, "nurse", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_lockout_of_one_username_does_not_lock_out_another(client, staff_user, consultant_user):
    for _ in range(5):
        sign_in(client, "nurse", "wrong-password")
    assert sign_in(client, "doctor", PASSWORD).status_code == 302


@pytest.mark.parametrize("fixture", ["staff_user", "patient_user"])
def test_each_role_signs_in_through_the_page_and_reaches_its_home(client, request, fixture):
    user = request.getfixturevalue(fixture)
    sign_in(client, user.username, PASSWORD)
    home = client.get("/")
    assert home.url == ("/worklist/" if fixture == "staff_user" else "/me/")
    assert client.get(home.url).status_code == 200
