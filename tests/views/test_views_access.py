"""Who reaches which page: every URL that takes a patient or a record, for every kind of user.

Anonymous -> sign-in page; a patient account -> 403; staff of another clinic -> 404 (never
reveal that the patient exists); staff and consultants of the patient's clinic -> 200.
"""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.record_kinds import record_model
from tracker import urls as tracker_urls

EDITABLE = ("treatment", "visit", "imaging", "symptoms")
MARKABLE = (*EDITABLE, "lab", "ncs")
HISTORY = (*MARKABLE, "patient", "checklist", "engraftment", "flag")


def _patient_url(name, **kwargs):
    return (name, lambda r: reverse(name, kwargs={"pk": r["patient"].pk, **kwargs}))


PAGES = [
    _patient_url("patient_detail"),
    _patient_url("patient_edit"),
    _patient_url("checklist_edit"),
    _patient_url("lab_create"),
    _patient_url("lab_panel_create", panel="fbc"),
    _patient_url("lab_panel_create", panel="vegf"),
    _patient_url("ncs_create"),
    *[_patient_url("record_create", kind=kind) for kind in EDITABLE],
    ("engraftment_edit", lambda r: reverse("engraftment_edit", kwargs={"treatment_pk": r["asct"].pk})),
    *[
        (name, lambda r, name=name, kind=kind: reverse(name, kwargs={"kind": kind, "record_pk": r[kind].pk}))
        for name, kinds in (("record_edit", EDITABLE), ("record_error", MARKABLE), ("record_history", HISTORY))
        for kind in kinds
    ],
]
PAGE_IDS = [f"{name}-{i}" for i, (name, _) in enumerate(PAGES)]


@pytest.fixture(params=["staff_user", "consultant_user"])
def clinical_user(request):
    return request.getfixturevalue(request.param)


def test_every_foundation_url_taking_a_patient_or_record_is_in_the_access_table():
    """The foundation's pages; flag, import, chart and portal pages have their own suites."""
    with_ids = {
        p.name
        for p in tracker_urls.urlpatterns
        if {"pk", "record_pk", "treatment_pk"} & set(getattr(p.pattern, "converters", {}))
    }
    foundation = {name for name in with_ids if not name.startswith(("flag", "import", "chart", "portal"))}
    assert foundation == {name for name, _ in PAGES}


@pytest.mark.parametrize(("name", "url"), PAGES, ids=PAGE_IDS)
def test_anonymous_visitor_is_sent_to_sign_in(client, records, name, url):
    path = url(records)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize(("name", "url"), PAGES, ids=PAGE_IDS)
def test_patient_account_is_forbidden_even_for_its_own_record(client, records, patient_user, name, url):
    client.force_login(patient_user)
    assert client.get(url(records)).status_code == 403


@pytest.mark.parametrize(("name", "url"), PAGES, ids=PAGE_IDS)
def test_staff_of_another_clinic_get_not_found(client, records, outsider_staff, name, url):
    client.force_login(outsider_staff)
    assert client.get(url(records)).status_code == 404


@pytest.mark.parametrize(("name", "url"), PAGES, ids=PAGE_IDS)
def test_staff_and_consultant_of_the_clinic_see_the_page(client, records, clinical_user, name, url):
    client.force_login(clinical_user)
    assert client.get(url(records)).status_code == 200


def test_signed_in_user_without_a_role_is_forbidden(client, records):
    client.force_login(UserFactory(username="norole"))
    assert client.get(reverse("patient_detail", kwargs={"pk": records["patient"].pk})).status_code == 403
    assert client.get("/").status_code == 403


@pytest.mark.parametrize("path", ["/patients/", "/worklist/", "/patients/new/", "/patients/?q=P001"])
def test_patient_account_reaches_no_staff_page(client, patient_user, path):
    client.force_login(patient_user)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/patients/", "/worklist/", "/patients/new/", "/me/"])
def test_anonymous_visitor_is_sent_to_sign_in_from_list_pages(client, db, path):
    response = client.get(path)
    assert (response.status_code, response.url) == (302, f"/accounts/login/?next={path}")


def test_staff_cannot_open_the_patient_portal(staff_client):
    assert staff_client.get("/me/").status_code == 403


def test_outsider_cannot_mark_a_record_entered_in_error(client, records, outsider_staff):
    client.force_login(outsider_staff)
    visit = records["visit"]
    response = client.post(reverse("record_error", args=["visit", visit.pk]), {"reason": "Not mine."})
    assert response.status_code == 404
    assert record_model("visit").objects.get(pk=visit.pk).status == "final"


def test_patient_account_cannot_post_a_record(client, records, patient_user):
    client.force_login(patient_user)
    path = reverse("record_create", args=[records["patient"].pk, "visit"])
    assert client.post(path, {"visit_date": "2025-01-01"}).status_code == 403
    assert record_model("visit").objects.count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/patients/{pk}/lab/new/",
        "/patients/{pk}/ncs-study/new/",
        "/patients/{pk}/labs/panel/lipids/",
        "/patients/99999/",
    ],
)
def test_unknown_kinds_panels_and_patients_are_not_found(staff_client, records, path):
    assert staff_client.get(path.format(pk=records["patient"].pk)).status_code == 404


@pytest.mark.parametrize("kind", ["lab", "ncs"])
def test_lab_and_ncs_rows_have_no_edit_page(staff_client, records, kind):
    assert staff_client.get(reverse("record_edit", args=[kind, records[kind].pk])).status_code == 404


def test_engraftment_page_exists_only_for_an_asct(staff_client, records):
    assert staff_client.get(reverse("engraftment_edit", args=[records["treatment"].pk])).status_code == 404
