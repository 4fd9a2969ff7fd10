"""Invitations from the patient page: an account linked to the patient, a set-password link
that works once and for 7 days, password reset by email for patients, and the idle timeout."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import PASSWORD, UserFactory
from tests.portal.portal_helpers import link_in
from tracker.access import role_of
from tracker.services.portal import invite_token_generator

NEW_PASSWORD = "blue-kettle-garden-walk"


def _invite(client, patient, email="ada@example.org"):
    return client.post(reverse("portal_invite", kwargs={"pk": patient.pk}), {"email": email})


def _set_password(client, path, password=NEW_PASSWORD):
    """Open the link (Django moves the token into the session), then submit the new password."""
    opened = client.get(path)
    assert opened.status_code == 302, "a good link redirects to the form without the token"
    return client.post(opened["Location"], {"new_password1": password, "new_password2": password})


def test_invite_creates_a_patient_account_linked_to_the_patient(staff_client, patient):
    response = _invite(staff_client, patient, "Ada@Example.org")
    assert response.status_code == 200
    patient.refresh_from_db()
    user = patient.user
    assert user.username == "ada@example.org" and user.email == "ada@example.org"
    assert role_of(user) == "patient"
    assert not user.has_usable_password(), "no password until the patient chooses one"
    assert patient.portal.invited_on is not None
    link = response.context["link"]
    assert link.url in response.content.decode(), "the link is shown on screen"
    assert link.valid_until - datetime.date.today() == datetime.timedelta(days=7)


def test_invite_emails_the_link_through_the_email_backend(staff_client, patient):
    response = _invite(staff_client, patient)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.org"]
    assert response.context["link"].url in message.body
    assert "Your username: ada@example.org" in message.body


def test_a_taken_username_gets_a_variant(staff_client, patient):
    UserFactory(username="ada@example.org")
    _invite(staff_client, patient)
    patient.refresh_from_db()
    assert patient.user.username == "ada-2"


def test_the_link_sets_a_password_signs_the_patient_in_and_works_once(client, staff_client, patient):
    _invite(staff_client, patient)
    path = link_in(mail.outbox[0].body)
    client.logout()

    response = _set_password(client, path)
    assert response.status_code == 302 and response["Location"] == reverse("portal_home")
    assert client.get(reverse("portal_home")).status_code == 200, "signed straight in"
    patient.refresh_from_db()
    assert patient.user.check_password(NEW_PASSWORD)

    client.logout()
    again = client.get(path)
    assert again.status_code == 200
    assert again.context["validlink"] is False and again.context["problem"] == "invalid"
    assert "This link does not work" in again.content.decode()
    assert "already been used" in again.content.decode()


def test_an_expired_link_is_refused_with_a_clear_message(client, staff_client, patient, monkeypatch):
    _invite(staff_client, patient)
    path = link_in(mail.outbox[0].body)
    client.logout()
    issued = datetime.datetime.now()
    monkeypatch.setattr(invite_token_generator, "_now", lambda: issued + datetime.timedelta(days=7, minutes=1))
    response = client.get(path)
    assert response.status_code == 200
    assert response.context["problem"] == "expired"
    assert "This link has expired" in response.content.decode()
    assert "work for 7 days" in response.content.decode()


def test_a_link_still_works_on_its_last_day(client, staff_client, patient, monkeypatch):
    _invite(staff_client, patient)
    path = link_in(mail.outbox[0].body)
    client.logout()
    issued = datetime.datetime.now()
    monkeypatch.setattr(invite_token_generator, "_now", lambda: issued + datetime.timedelta(days=6, hours=23))
    assert _set_password(client, path).status_code == 302


def test_a_tampered_link_is_refused(client, staff_client, patient):
    _invite(staff_client, patient)
    path = link_in(mail.outbox[0].body)
    client.logout()
    response = client.get(path[:-3] + "zz/")
    assert response.context["problem"] == "invalid"


def test_an_invitation_token_is_not_a_password_reset_token(client, staff_client, patient):
    _invite(staff_client, patient)
    path = link_in(mail.outbox[0].body)
    client.logout()
    reset_path = path.replace("/accounts/set-password/", "/accounts/password-reset/")
    assert client.get(reset_path).context["validlink"] is False


def test_invitation_links_open_patient_accounts_only(client, staff_user):
    token = invite_token_generator.make_token(staff_user)
    uid = urlsafe_base64_encode(force_bytes(staff_user.pk))
    response = client.get(reverse("password_set", kwargs={"uidb64": uid, "token": token}))
    assert response.status_code == 200 and response.context["validlink"] is False


def test_a_new_link_can_be_sent_and_the_old_one_stops_once_either_is_used(client, staff_client, patient):
    _invite(staff_client, patient)
    first = link_in(mail.outbox[0].body)
    response = staff_client.post(reverse("portal_link_resend", kwargs={"pk": patient.pk}))
    assert response.status_code == 200 and len(mail.outbox) == 2
    second = link_in(mail.outbox[1].body)
    client.logout()
    assert _set_password(client, second).status_code == 302
    client.logout()
    assert client.get(first).context["problem"] == "invalid"


def test_a_patient_with_an_account_is_not_invited_twice(staff_client, patient):
    _invite(staff_client, patient)
    response = _invite(staff_client, patient, "other@example.org")
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("already has a portal account" in m for m in messages)
    assert get_user_model().objects.filter(email="other@example.org").count() == 0


@pytest.mark.parametrize("email", ["", "not-an-email"])
def test_a_bad_email_address_is_refused_in_plain_words(staff_client, patient, email):
    response = _invite(staff_client, patient, email)
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.user is None and not mail.outbox


def test_staff_of_another_clinic_cannot_invite(client, outsider_staff, patient):
    client.force_login(outsider_staff)
    assert _invite(client, patient).status_code == 404
    patient.refresh_from_db()
    assert patient.user is None


def test_the_panel_shows_invite_form_then_the_account(staff_client, patient):
    page = staff_client.get(reverse("patient_detail", kwargs={"pk": patient.pk})).content.decode()
    assert "Invite to the portal" in page
    _invite(staff_client, patient)
    page = staff_client.get(reverse("patient_detail", kwargs={"pk": patient.pk})).content.decode()
    assert "Has an account: <strong>ada@example.org</strong>" in page
    assert "Invitation not used yet" in page and "last report none" in page


# --- password reset by email (patients only) ----------------------------------------------------


def test_a_patient_can_reset_a_forgotten_password_by_email(client, patient_user):
    patient_user.email = "ada@example.org"
    patient_user.save()
    response = client.post(reverse("password_reset"), {"email": "ada@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    response = _set_password(client, link_in(mail.outbox[0].body))
    assert response["Location"] == reverse("password_reset_complete")
    patient_user.refresh_from_db()
    assert patient_user.check_password(NEW_PASSWORD)


def test_password_reset_never_emails_staff_accounts(client, staff_user):
    staff_user.email = "nurse@example.org"
    staff_user.save()
    response = client.post(reverse("password_reset"), {"email": "nurse@example.org"})
    assert response.status_code == 302, "the same answer, so it does not reveal who has an account"
    assert mail.outbox == []


def test_password_reset_pages_render(client):
    for name in ("password_reset", "password_reset_done", "password_reset_complete"):
        assert client.get(reverse(name)).status_code == 200


# --- idle timeout -----------------------------------------------------------------------------


def test_a_patient_session_ends_after_the_idle_period(client, patient_user, settings):
    settings.POEMS_PATIENT_IDLE_SECONDS = 600
    client.post(reverse("login"), {"username": "ada", "password": PASSWORD})
    assert client.session.get_expiry_age() == 600, "set on the very request that signs in"
    client.get(reverse("portal_home"))
    assert client.session.get_expiry_age() == 600
    assert client.session.get_expire_at_browser_close() is False


def test_the_patient_idle_period_defaults_to_30_minutes(patient_client, settings):
    if hasattr(settings, "POEMS_PATIENT_IDLE_SECONDS"):
        del settings.POEMS_PATIENT_IDLE_SECONDS
    patient_client.get(reverse("portal_home"))
    assert patient_client.session.get_expiry_age() == 30 * 60


def test_staff_sessions_follow_the_staff_idle_setting_not_the_patients(staff_client, settings):
    """Staff have their own idle timeout (POEMS_STAFF_IDLE_MINUTES, tests/accounts), unaffected
    by the patients' setting."""
    settings.POEMS_PATIENT_IDLE_SECONDS = 600
    staff_client.get(reverse("worklist"))
    assert staff_client.session.get_expiry_age() == settings.POEMS_STAFF_IDLE_MINUTES * 60 != 600


def test_a_mail_server_failure_keeps_the_account_and_shows_the_link(staff_client, patient, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("tracker.services.portal.invitations.send_mail", refuse)
    response = _invite(staff_client, patient)
    assert response.status_code == 200
    assert response.context["link"].emailed is False
    assert "The email could not be sent" in response.content.decode()
    patient.refresh_from_db()
    assert patient.user is not None


def test_a_new_link_makes_the_earlier_one_stop_working_at_once(client, staff_client, patient):
    _invite(staff_client, patient)
    first = link_in(mail.outbox[0].body)
    staff_client.post(reverse("portal_link_resend", kwargs={"pk": patient.pk}))
    client.logout()
    assert client.get(first).context["problem"] == "invalid"  # before the newer link is used


def test_for_a_patient_with_a_password_a_new_link_is_emailed_but_never_shown_to_staff(
    client, staff_client, staff_user, patient
):
    _invite(staff_client, patient)
    client.logout()
    _set_password(client, link_in(mail.outbox[0].body))
    staff_client.force_login(staff_user)  # the same test client: sign the staff member in again
    response = staff_client.post(reverse("portal_link_resend", kwargs={"pk": patient.pk}))
    assert response.status_code == 200 and len(mail.outbox) == 2
    newest = link_in(mail.outbox[1].body)
    assert newest.split("/accounts/")[-1] not in response.content.decode()
    assert "sent to their email only" in response.content.decode()


def test_the_patient_history_names_the_staff_member_who_invited(staff_client, staff_user, patient):
    _invite(staff_client, patient)
    linked = patient.history.order_by("-history_date").first()
    assert linked.user_id is not None and linked.history_user == staff_user
