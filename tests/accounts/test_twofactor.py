"""Two-factor sign-in: with POEMS_REQUIRE_2FA on, staff and consultants reach no page with
patient data before a second factor; they enrol an authenticator app by QR code, then sign in
with its code or a one-time backup code. Patients may enrol and are then asked too."""

import time

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import enrolled_device, totp_code
from tests.factories import PASSWORD
from tests.views.test_views_access import PAGE_IDS, PAGES
from tracker.models import AccountAction

LOGIN = "/accounts/login/"
SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/"


def sign_in(client, username):
    return client.post(LOGIN, {"username": username, "password": PASSWORD})


@pytest.mark.parametrize(("name", "url"), PAGES, ids=PAGE_IDS)
def test_staff_without_a_device_reach_no_patient_page_but_enrolment(
    client, two_factor_on, records, staff_user, name, url
):
    client.force_login(staff_user)
    response = client.get(url(records))
    assert response.status_code == 302
    assert response.url.startswith(SETUP + "?next=")


@pytest.mark.parametrize(
    "path",
    ["/", "/worklist/", "/patients/", "/patients/?q=Ada", "/cohort/", "/imports/", "/admin/"],
)
def test_consultant_without_a_device_reaches_no_list_either(client, two_factor_on, records, consultant_user, path):
    client.force_login(consultant_user)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(SETUP)


def test_summary_and_flag_pages_wait_for_the_code_of_an_enrolled_consultant(
    client, two_factor_on, records, consultant_user
):
    enrolled_device(consultant_user)
    sign_in(client, "doctor")
    for path in (
        reverse("patient_summary", args=[records["patient"].pk]),
        reverse("flag_detail", args=[records["flag"].pk]),
    ):
        response = client.get(path)
        assert (response.status_code, response.url.split("?")[0]) == (302, VERIFY)


def test_enrolment_shows_a_qr_code_and_confirms_with_a_code_from_the_app(client, two_factor_on, records, staff_user):
    sign_in(client, "nurse")
    page = client.get(SETUP + "?next=/patients/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<path" in html
    device = TOTPDevice.objects.get(user=staff_user, confirmed=False)
    assert client.get(SETUP).context["secret"] == page.context["secret"]  # same key while scanning

    done = client.post(SETUP, {"code": totp_code(device), "next": "/patients/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert StaticDevice.objects.get(user=staff_user).token_set.count() == 10
    assert client.get(reverse("patient_detail", args=[records["patient"].pk])).status_code == 200
    assert AccountAction.objects.filter(action="2fa.enrolled", subject=staff_user).count() == 1


def test_a_wrong_code_does_not_enrol(client, two_factor_on, staff_user):
    sign_in(client, "nurse")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=staff_user)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 200
    assert "does not match" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/worklist/").url.startswith(SETUP)


def test_sign_in_with_password_then_code_reaches_the_patient_page(client, two_factor_on, records, staff_user):
    device = enrolled_device(staff_user)
    patient_page = reverse("patient_detail", args=[records["patient"].pk])
    sign_in(client, "nurse")
    assert client.get(patient_page).url == f"{VERIFY}?next=%2Fpatients%2F{records['patient'].pk}%2F"

    refused = client.post(VERIFY, {"code": "000000", "next": patient_page})
    assert refused.status_code == 200 and "not valid" in refused.content.decode()
    assert "try again in a few seconds" in refused.content.decode()
    assert client.get(patient_page).status_code == 302
    # django-otp's throttle: after a wrong code the device refuses even the right one for 1 s.
    assert client.post(VERIFY, {"code": totp_code(device), "next": patient_page}).status_code == 200
    time.sleep(1.1)

    accepted = client.post(VERIFY, {"code": totp_code(device), "next": patient_page})
    assert (accepted.status_code, accepted.url) == (302, patient_page)
    assert client.get(patient_page).status_code == 200
    actions = list(AccountAction.objects.filter(subject=staff_user).order_by("id").values_list("action", flat=True))
    assert actions == ["2fa.failed", "2fa.failed", "2fa.verified"]


def test_verification_lasts_for_the_session_only(client, two_factor_on, staff_user):
    device = enrolled_device(staff_user)
    sign_in(client, "nurse")
    client.post(VERIFY, {"code": totp_code(device)})
    assert client.get("/worklist/").status_code == 200
    client.post("/accounts/logout/")
    sign_in(client, "nurse")
    assert client.get("/worklist/").url.startswith(VERIFY)


def test_a_backup_code_works_once(client, two_factor_on, staff_user):
    from tracker.accounts.twofactor import backup_codes_issue

    enrolled_device(staff_user)
    code = backup_codes_issue(staff_user)[0]
    sign_in(client, "nurse")
    assert client.post(VERIFY, {"code": code}).status_code == 302
    assert client.get("/worklist/").status_code == 200
    client.post("/accounts/logout/")
    sign_in(client, "nurse")
    assert client.post(VERIFY, {"code": code}).status_code == 200
    assert client.get("/worklist/").url.startswith(VERIFY)


def test_the_next_address_never_leaves_the_site(client, two_factor_on, staff_user):
    device = enrolled_device(staff_user)
    sign_in(client, "nurse")
    response = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/"})
    assert response.url == "/"


def test_an_enrolled_user_cannot_add_a_device_before_verifying(client, two_factor_on, staff_user):
    enrolled_device(staff_user)
    sign_in(client, "nurse")
    assert client.get(SETUP).url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=staff_user).count() == 1


def test_patients_need_no_second_factor_unless_they_enrol(client, two_factor_on, patient_user):
    sign_in(client, "ada")
    assert client.get("/me/").status_code == 200


def test_a_patient_who_enrolled_is_asked_for_the_code(client, two_factor_on, patient_user):
    device = enrolled_device(patient_user)
    sign_in(client, "ada")
    assert client.get("/me/").url.startswith(VERIFY)
    client.post(VERIFY, {"code": totp_code(device)})
    assert client.get("/me/").status_code == 200


def test_with_the_setting_off_staff_without_a_device_reach_their_pages(client, settings, records, staff_user):
    settings.POEMS_REQUIRE_2FA = False
    sign_in(client, "nurse")
    assert client.get(reverse("patient_detail", args=[records["patient"].pk])).status_code == 200


def test_sign_in_and_sign_out_pages_stay_open_before_the_second_factor(client, two_factor_on, staff_user):
    sign_in(client, "nurse")
    assert client.get(SETUP).status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session
