"""The patient page and the search cost a fixed number of queries, whatever the data size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PatientFactory
from tests.views.conftest import build_timeline

# session, user, role groups, patient; checklist, treatments (+ engraftment), visits, labs,
# nerve studies + their rows, imaging, imaging lesions, bone marrow biopsies, clinical events,
# medications, referrals, symptoms, open flags; the portal
# panel's look-ups; the follow-up plan's changes (clinic and patient); the read-audit row (one
# INSERT). The rules, charts (the marrow markers too) and the plan panel reuse the lists already
# loaded, so they add no other query; the outcome times are computed from the treatments and
# events already loaded. A record type with its own table costs its one list query, never one
# per record.
PATIENT_PAGE_QUERIES = 22
# session, user, role groups, the patients of the user's clinics (clinic joined); the read-audit
# rows of every patient listed (one bulk INSERT, whatever the number).
SEARCH_QUERIES = 5


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def page_url(patient):
    return reverse("patient_detail", args=[patient.pk])


def test_patient_page_query_count_is_pinned(
    staff_client, staff_user, patient, records, page_url, django_assert_num_queries
):
    build_timeline(patient, staff_user, count=2, start=datetime.date(2022, 1, 1))
    staff_client.get(page_url)
    with django_assert_num_queries(PATIENT_PAGE_QUERIES):
        staff_client.get(page_url)


def test_patient_page_costs_the_same_with_three_times_the_records(staff_client, staff_user, patient, records, page_url):
    build_timeline(patient, staff_user, count=2, start=datetime.date(2022, 1, 1))
    small = queries_for(staff_client, page_url)
    build_timeline(patient, staff_user, count=4, start=datetime.date(2020, 1, 1))
    assert patient.lab_results.count() == 2 * (1 + 2 + 4)
    large = queries_for(staff_client, page_url)
    assert small == large


def test_patient_page_with_entered_in_error_rows_costs_the_same(staff_client, staff_user, patient, records, page_url):
    small = queries_for(staff_client, page_url)
    for kind in ("visit", "lab", "ncs", "treatment", "imaging", "symptoms"):
        staff_client.post(reverse("record_error", args=[kind, records[kind].pk]), {"reason": "Test."})
    assert queries_for(staff_client, page_url) == small


def _register(clinic, count: int, offset: int) -> None:
    for i in range(offset, offset + count):
        PatientFactory(clinic=clinic, mrn=f"S{i:04d}", given_name="Sam", family_name=f"Searchable{i}")


def test_search_query_count_is_pinned(staff_client, clinic, django_assert_num_queries):
    _register(clinic, 5, 0)
    with django_assert_num_queries(SEARCH_QUERIES):
        response = staff_client.get("/patients/", {"q": "sam searchable"})
    assert len(response.context["patients"]) == 5


def test_search_costs_the_same_with_three_times_the_patients(staff_client, clinic, other_clinic):
    _register(clinic, 5, 0)
    _register(other_clinic, 5, 100)
    small = queries_for(staff_client, "/patients/?q=sam")
    _register(clinic, 10, 200)
    _register(other_clinic, 10, 300)
    large = queries_for(staff_client, "/patients/?q=sam")
    assert small == large


def test_search_lists_at_most_100_patients_and_says_so(staff_client, clinic):
    _register(clinic, 101, 0)
    response = staff_client.get("/patients/", {"q": "searchable"})
    assert len(response.context["patients"]) == 100
    assert response.context["truncated"] is True
    assert "Showing the first 100 matches; narrow the search." in response.content.decode()
