"""The landing page per role, and the patient search by MRN or name."""

import pytest

from tests.factories import PatientFactory


@pytest.fixture
def lookalike(other_clinic):
    """Another clinic's patient whose MRN and name match the same searches."""
    return PatientFactory(clinic=other_clinic, mrn="P001-S", given_name="Ada", family_name="Example")


def listed_mrns(response) -> list[str]:
    return [p.mrn for p in response.context["patients"]]


@pytest.mark.parametrize("fixture", ["staff_client", "consultant_client"])
def test_home_sends_staff_and_consultants_to_the_worklist(request, fixture):
    response = request.getfixturevalue(fixture).get("/")
    assert (response.status_code, response.url) == (302, "/worklist/")


def test_home_sends_a_patient_to_the_portal(client, patient_user):
    client.force_login(patient_user)
    response = client.get("/")
    assert (response.status_code, response.url) == (302, "/me/")


def test_home_sends_an_anonymous_visitor_to_sign_in(client, db):
    response = client.get("/")
    assert (response.status_code, response.url) == (302, "/accounts/login/?next=/")


def test_search_by_mrn_finds_the_patient_and_links_to_the_patient_page(staff_client, patient, other_patient):
    response = staff_client.get("/patients/", {"q": "p001"})
    assert listed_mrns(response) == ["P001"]
    assert f'href="/patients/{patient.pk}/"' in response.content.decode()


@pytest.mark.parametrize("query", ["ada example", "EXAMPLE Ada", "  exam   ad  "])
def test_search_by_two_words_of_the_name_ignores_case_and_order(staff_client, patient, other_patient, query):
    assert listed_mrns(staff_client.get("/patients/", {"q": query})) == ["P001"]


def test_every_word_must_match(staff_client, patient, other_patient):
    assert listed_mrns(staff_client.get("/patients/", {"q": "ada sample"})) == []


def test_search_never_lists_another_clinics_patient(staff_client, patient, lookalike):
    for query in ("P001", "Ada", "ada example", ""):
        assert "P001-S" not in listed_mrns(staff_client.get("/patients/", {"q": query}))


def test_other_clinics_staff_find_only_their_own_patient(client, outsider_staff, patient, lookalike):
    client.force_login(outsider_staff)
    assert listed_mrns(client.get("/patients/", {"q": "ada"})) == ["P001-S"]


def test_empty_search_lists_the_clinics_patients_in_name_order(consultant_client, patient, other_patient, lookalike):
    assert listed_mrns(consultant_client.get("/patients/")) == ["P001", "P002"]


def test_search_without_a_match_says_so(staff_client, patient):
    response = staff_client.get("/patients/", {"q": "nobody"})
    assert "No patient matches “nobody”." in response.content.decode()


def test_staff_member_of_two_clinics_sees_both_clinics_patients(client, staff_user, other_clinic, patient, lookalike):
    other_clinic.members.add(staff_user)
    client.force_login(staff_user)
    assert listed_mrns(client.get("/patients/", {"q": "P001"})) == ["P001", "P001-S"]


def test_search_accepts_the_family_comma_given_form_the_list_shows(staff_client, patient):
    from django.urls import reverse

    response = staff_client.get(reverse("patient_list"), {"q": "Example, Ada"})
    assert patient.mrn in response.content.decode()
