"""Clinic administration in the app: a clinic manager creates clinics, invites staff and
consultants with an expiring link, sets roles, deactivates (never deletes) accounts and resets a
lost second factor; every action is audited. Managers see no patient data by that permission."""

import datetime
import io
import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import enrolled_device, totp_code
from tests.factories import PASSWORD, UserFactory
from tests.views.test_views_access import PAGE_IDS, PAGES
from tracker.accounts.clinic_admin import manager_grant
from tracker.models import AccountAction, Clinic
from tracker.roles import CONSULTANT, STAFF

MANAGE = "/manage/"
NEW_PASSWORD = "a-fresh-long-passphrase-42"


@pytest.fixture
def manager(clinic):
    user = UserFactory(username="boss")
    manager_grant(user=user, clinics=[clinic])
    return user


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def actions(**filters) -> list[str]:
    return list(AccountAction.objects.filter(**filters).order_by("id").values_list("action", flat=True))


def test_grant_manager_command_makes_a_manager_of_named_clinics(staff_user, clinic, other_clinic):
    out = io.StringIO()
    call_command("grant_manager", "nurse", "--clinic", "south", stdout=out)
    assert "nurse is a clinic manager (south)" in out.getvalue()
    assert staff_user.groups.filter(name="clinic_manager").exists()
    assert set(staff_user.clinics.values_list("code", flat=True)) == {"north", "south"}
    assert actions(subject=staff_user) == ["manager.granted"]


@pytest.mark.parametrize(("name", "url"), PAGES, ids=PAGE_IDS)
def test_a_manager_without_a_clinical_role_sees_no_patient_page(manager_client, records, name, url):
    assert manager_client.get(url(records)).status_code == 403


@pytest.mark.parametrize("path", ["/worklist/", "/patients/", "/cohort/", "/imports/"])
def test_a_manager_without_a_clinical_role_sees_no_patient_list(manager_client, records, path):
    assert manager_client.get(path).status_code == 403


def test_a_manager_lands_on_the_manage_page(manager_client, staff_user, consultant_user, outsider_staff):
    assert manager_client.get("/").url == MANAGE
    page = manager_client.get(MANAGE)
    html = page.content.decode()
    assert page.status_code == 200
    assert "nurse" in html and "doctor" in html and "elsewhere" not in html


@pytest.mark.parametrize("fixture", ["staff_user", "consultant_user", "patient_user"])
def test_other_roles_may_not_manage(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(MANAGE).status_code == 403
    assert client.post(reverse("manage_clinic_create"), {"code": "x", "name": "X"}).status_code == 403
    assert not Clinic.objects.filter(code="x").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get(MANAGE).url.startswith("/accounts/login/")


def test_staff_who_also_manage_keep_their_clinical_pages(client, staff_user, clinic, records):
    manager_grant(user=staff_user, clinics=[clinic])
    client.force_login(staff_user)
    assert client.get(MANAGE).status_code == 200
    assert client.get(reverse("patient_detail", args=[records["patient"].pk])).status_code == 200


def test_a_manager_needs_the_second_factor_too(manager_client, two_factor_on):
    assert manager_client.get(MANAGE).url.startswith("/accounts/two-factor/setup/")


def test_creating_a_clinic_makes_the_manager_its_member_and_is_audited(manager_client, manager):
    manager_client.post(reverse("manage_clinic_create"), {"code": "east", "name": "East clinic"})
    assert Clinic.objects.get(code="east").members.filter(pk=manager.pk).exists()
    assert actions(actor=manager) == ["clinic.created"]


def _invite(manager_client, clinic, email="new.doctor@example.org", role=CONSULTANT) -> str:
    manager_client.post(reverse("manage_invite_create"), {"email": email, "role": role, "clinic": clinic.pk})
    return re.search(r"http://testserver(/accounts/invite/[^/]+/)", mail.outbox[-1].body).group(1)


def test_an_invitation_creates_the_account_once_with_its_role_and_clinic(client, manager, clinic):
    client.force_login(manager)
    link = _invite(client, clinic)
    assert mail.outbox[-1].to == ["new.doctor@example.org"]
    client.logout()
    assert client.get(link).status_code == 200
    form = {"username": "newdoc", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    assert client.post(link, form).url == "/accounts/login/"
    user = get_user_model().objects.get(username="newdoc")
    assert user.email == "new.doctor@example.org"
    assert user.groups.filter(name=CONSULTANT).exists()
    assert list(user.clinics.all()) == [clinic]
    assert client.post(link, {**form, "username": "again"}).status_code == 410
    assert not get_user_model().objects.filter(username="again").exists()
    assert actions() == ["manager.granted", "invite.created", "invite.accepted"]


def test_an_invitation_expires_after_seven_days(client, manager, clinic):
    client.force_login(manager)
    link = _invite(client, clinic)
    client.logout()
    later = timezone.now() + datetime.timedelta(days=7, minutes=1)
    with mock.patch("tracker.accounts.clinic_admin.timezone.now", return_value=later):
        assert client.get(link).status_code == 410


def test_an_invitation_refuses_a_weak_password_and_keeps_working(client, manager, clinic):
    client.force_login(manager)
    link = _invite(client, clinic, role=STAFF)
    client.logout()
    refused = client.post(link, {"username": "weak", "password": "12345", "password_again": "12345"})
    assert refused.status_code == 200 and "too short" in refused.content.decode()
    assert not get_user_model().objects.filter(username="weak").exists()
    assert client.get(link).status_code == 200


def test_an_invitation_to_a_clinic_the_manager_does_not_run_is_refused(manager_client, other_clinic):
    manager_client.post(
        reverse("manage_invite_create"), {"email": "x@example.org", "role": STAFF, "clinic": other_clinic.pk}
    )
    assert mail.outbox == []


def test_setting_a_role_replaces_the_old_one_and_is_audited(manager_client, manager, staff_user):
    manager_client.post(reverse("manage_user_action", args=[staff_user.pk, "role"]), {"role": CONSULTANT})
    assert list(staff_user.groups.values_list("name", flat=True)) == [CONSULTANT]
    assert AccountAction.objects.get(action="user.role_set").detail == "staff -> consultant"


def test_a_deactivated_account_is_signed_out_and_kept(client, manager, staff_user):
    nurse = client
    nurse.post("/accounts/login/", {"username": "nurse", "password": PASSWORD})
    assert nurse.get("/worklist/").status_code == 200
    boss = Client()
    boss.force_login(manager)
    boss.post(reverse("manage_user_action", args=[staff_user.pk, "deactivate"]))
    assert nurse.get("/worklist/").url.startswith("/accounts/login/")
    assert nurse.post("/accounts/login/", {"username": "nurse", "password": PASSWORD}).status_code == 200
    staff_user.refresh_from_db()
    assert staff_user.is_active is False
    boss.post(reverse("manage_user_action", args=[staff_user.pk, "reactivate"]))
    assert actions(subject=staff_user) == ["user.deactivated", "user.reactivated"]


def test_resetting_a_lost_second_factor_sends_the_user_back_to_enrolment(client, two_factor_on, manager, staff_user):
    enrolled_device(staff_user)
    boss = Client()
    boss_device = enrolled_device(manager)
    boss.post("/accounts/login/", {"username": "boss", "password": PASSWORD})
    boss.post("/accounts/two-factor/", {"code": totp_code(boss_device)})
    boss.post(reverse("manage_user_action", args=[staff_user.pk, "reset-2fa"]))
    assert not TOTPDevice.objects.filter(user=staff_user).exists()
    client.post("/accounts/login/", {"username": "nurse", "password": PASSWORD})
    assert client.get("/worklist/").url.startswith("/accounts/two-factor/setup/")
    assert actions(subject=staff_user) == ["2fa.reset"]


@pytest.mark.parametrize("target", ["outsider_staff", "patient_user", "manager"])
def test_a_manager_cannot_act_on_accounts_outside_their_clinics_patients_or_themselves(manager_client, request, target):
    user = request.getfixturevalue(target)
    response = manager_client.post(reverse("manage_user_action", args=[user.pk, "deactivate"]))
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.is_active


def test_a_refused_clinic_or_invitation_comes_back_with_its_errors_beside_the_fields(manager_client, clinic):
    page = manager_client.post(reverse("manage_clinic_create"), {"code": "no spaces!", "name": ""})
    assert page.status_code == 400
    text = page.content.decode()
    assert "<title>Error: " in text and "data-error-summary" in text
    assert 'href="#id_name"' in text and 'href="#id_code"' in text
    assert 'value="no spaces!"' in text  # the typed value is kept
    assert not Clinic.objects.filter(name="").exists()

    page = manager_client.post(reverse("manage_invite_create"), {"email": "not-an-address", "role": STAFF})
    assert page.status_code == 400
    text = page.content.decode()
    assert 'href="#id_email"' in text and 'href="#id_clinic"' in text
    assert mail.outbox == []
