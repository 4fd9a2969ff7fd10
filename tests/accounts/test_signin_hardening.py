"""Sign-in hardening: lock-out per account and per address, a throttled password reset, the
staff idle timeout, and no console e-mail in production."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory
from tracker.roles import STAFF

LOGIN = "/accounts/login/"
RESET = "/accounts/password-reset/"
PROJECT = Path(__file__).resolve().parents[2]


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_four_guesses_at_every_account_from_one_address_lock_the_address(client, clinic):
    for name in ("amy", "bob", "cat", "dan"):
        UserFactory(username=name, role=STAFF, clinics=[clinic])
    for name in ("amy", "bob", "cat"):
        for _ in range(4):
            attempt(client, name, "a-wrong-guess")
    # 12 failures from 10.0.0.1, none reaching an account's own limit of 5: the address is locked,
    # even for an account never tried and its right password.
    assert attempt(client, "dan", PASSWORD).status_code == 429
    assert attempt(client, "dan", PASSWORD, address="10.0.0.2").status_code == 302


def test_guesses_at_one_account_from_many_addresses_lock_the_account(client, staff_user):
    for i in range(5):
        attempt(client, "nurse", "a-wrong-guess", address=f"10.0.1.{i}")
    assert attempt(client, "nurse", PASSWORD, address="10.0.2.1").status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_below_both_limits_lock_nothing(client, staff_user, consultant_user):
    for _ in range(4):
        attempt(client, "nurse", "a-wrong-guess")
    assert attempt(client, "doctor", PASSWORD).status_code == 302


def reset(client, email, address="10.0.0.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


@pytest.fixture
def patient_with_email(patient_user):
    patient_user.email = "ada@example.org"
    patient_user.save()
    return patient_user


def test_password_reset_sends_at_most_three_emails_an_hour_per_account(client, patient_with_email):
    answers = [reset(client, "ada@example.org", address=f"10.0.3.{i}").status_code for i in range(6)]
    assert answers == [302] * 6  # the page never tells whether the account was throttled
    assert len(mail.outbox) == 3


def test_password_reset_refuses_an_address_after_ten_requests_an_hour(client, db):
    answers = [reset(client, f"nobody{i}@example.org").status_code for i in range(12)]
    assert answers == [302] * 10 + [429] * 2
    assert reset(client, "nobody@example.org", address="10.0.0.9").status_code == 302


def test_password_reset_limits_are_counted_over_the_last_hour_only(client, patient_with_email):
    from tracker.models.accounts import PasswordResetRequest

    for _ in range(3):
        reset(client, "ada@example.org")
    assert len(mail.outbox) == 3
    # An hour later (rows are append-only, so the clock is moved instead of the rows).
    later = timezone.now() + datetime.timedelta(hours=1, minutes=1)
    from unittest import mock

    with mock.patch("tracker.accounts.reset.timezone.now", return_value=later):
        reset(client, "ada@example.org")
    assert len(mail.outbox) == 4
    assert PasswordResetRequest.objects.count() == 4


def _session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_staff_sessions_end_after_thirty_idle_minutes(client, staff_user):
    client.post(LOGIN, {"username": "nurse", "password": PASSWORD})
    assert client.get("/worklist/").status_code == 200
    left = _session_row(client).expire_date - timezone.now()
    assert datetime.timedelta(minutes=29) < left <= datetime.timedelta(minutes=30)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now())
    response = client.get("/worklist/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_staff_idle_minutes_is_a_setting(client, settings, consultant_user):
    settings.POEMS_STAFF_IDLE_MINUTES = 5
    client.post(LOGIN, {"username": "doctor", "password": PASSWORD})
    client.get("/worklist/")
    left = _session_row(client).expire_date - timezone.now()
    assert datetime.timedelta(minutes=4) < left <= datetime.timedelta(minutes=5)


def import_settings(code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AXES_", "POEMS_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", f"import poems_site.settings as s; {code}"],
        cwd=PROJECT,
        env={**clean, "DJANGO_SECRET_KEY": "k" * 50, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_console_email_with_debug_off_stops_the_server():
    result = import_settings("print(1)", DJANGO_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    assert result.returncode != 0
    assert "POEMS_ALLOW_CONSOLE_EMAIL" in result.stderr


def test_console_email_with_debug_off_is_allowed_only_when_asked_for():
    result = import_settings(
        "print(s.EMAIL_BACKEND)",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        POEMS_ALLOW_CONSOLE_EMAIL="true",
    )
    assert (result.returncode, result.stdout.strip()) == (0, "django.core.mail.backends.console.EmailBackend")


def test_email_defaults_to_smtp_with_debug_off_and_console_with_debug_on():
    assert import_settings("print(s.EMAIL_BACKEND)").stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"
    on = import_settings("print(s.EMAIL_BACKEND)", DJANGO_DEBUG="true")
    assert on.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize(("env", "expected"), [({}, "True"), ({"DJANGO_DEBUG": "true"}, "False")])
def test_two_factor_is_required_by_default_exactly_when_debug_is_off(env, expected):
    assert import_settings("print(s.POEMS_REQUIRE_2FA)", **env).stdout.strip() == expected


@pytest.mark.parametrize(("raw", "expected"), [("true", "True"), ("false", "False")])
def test_two_factor_setting_reads_true_and_false(raw, expected):
    assert import_settings("print(s.POEMS_REQUIRE_2FA)", POEMS_REQUIRE_2FA=raw).stdout.strip() == expected


def test_two_factor_setting_refuses_anything_else():
    result = import_settings("print(1)", POEMS_REQUIRE_2FA="yes")
    assert result.returncode != 0
    assert "POEMS_REQUIRE_2FA must be 'true' or 'false', not 'yes'." in result.stderr


def test_users_cannot_be_deleted_in_the_admin(client, staff_user):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.org", "a-long-admin-password-1")
    client.force_login(root)
    assert client.get(reverse("admin:auth_user_delete", args=[staff_user.pk])).status_code == 403
    listing = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "delete_selected" not in listing
    client.post(
        reverse("admin:auth_user_changelist"), {"action": "delete_selected", "_selected_action": [staff_user.pk]}
    )
    assert get_user_model().objects.filter(pk=staff_user.pk).exists()
