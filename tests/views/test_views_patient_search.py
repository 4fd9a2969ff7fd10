"""The patient search by date of birth, and its tolerance of one typo in a name."""

import datetime
import re

import pytest

from tests.factories import PatientFactory
from tracker.selectors.patients import one_typo_pattern
from tracker.text_checks import typed_date


def listed_mrns(response) -> list[str]:
    return [p.mrn for p in response.context["patients"]]


@pytest.fixture
def born(clinic, other_clinic):
    """Three patients of the clinic, and another clinic's patient with the same birthday and name."""
    return [
        PatientFactory(clinic=clinic, mrn="B1", given_name="Ada", family_name="Example", birth_date="1970-05-17"),
        PatientFactory(clinic=clinic, mrn="B2", given_name="Ben", family_name="Sample", birth_date="1970-05-17"),
        PatientFactory(clinic=clinic, mrn="B3", given_name="Cara", family_name="Testwell", birth_date="1982-11-03"),
        PatientFactory(clinic=other_clinic, mrn="S1", given_name="Ada", family_name="Example", birth_date="1970-05-17"),
    ]


@pytest.mark.parametrize(
    ("text", "order", "day"),
    [
        ("1970-05-17", "DMY", datetime.date(1970, 5, 17)),
        ("17/05/1970", "DMY", datetime.date(1970, 5, 17)),
        ("17.5.1970", "DMY", datetime.date(1970, 5, 17)),
        ("17-05-1970", "DMY", datetime.date(1970, 5, 17)),
        ("05/17/1970", "MDY", datetime.date(1970, 5, 17)),
        ("05/17/1970", "DMY", None),
        ("31/02/1970", "DMY", None),
        ("1970", "DMY", None),
        ("P001", "DMY", None),
    ],
)
def test_typed_date_reads_iso_and_the_clinics_order(text, order, day):
    assert typed_date(text, order=order) == day


@pytest.mark.parametrize("query", ["1970-05-17", "17/05/1970", "17.05.1970"])
def test_search_by_date_of_birth_lists_only_the_clinics_patients_born_that_day(staff_client, born, query):
    assert listed_mrns(staff_client.get("/patients/", {"q": query})) == ["B1", "B2"]


def test_a_date_and_a_name_narrow_each_other(staff_client, born):
    assert listed_mrns(staff_client.get("/patients/", {"q": "sample 17/05/1970"})) == ["B2"]
    assert listed_mrns(staff_client.get("/patients/", {"q": "testwell 17/05/1970"})) == []


def test_the_month_day_order_follows_the_setting(staff_client, born, settings):
    settings.POEMS_DATE_ORDER = "MDY"
    assert listed_mrns(staff_client.get("/patients/", {"q": "11/03/1982"})) == ["B3"]
    assert listed_mrns(staff_client.get("/patients/", {"q": "17/05/1970"})) == []


def test_the_search_box_names_the_date_formats(staff_client, db):
    page = staff_client.get("/patients/").content.decode()
    assert "Search by MRN, name or date of birth" in page
    assert "Date of birth as 17/05/1970 or 1970-05-17." in page


@pytest.mark.parametrize(
    "query",
    [
        "Exampel",  # two letters swapped
        "Exmple",  # a letter left out
        "Exaample",  # a letter too many
        "Exanple",  # a letter wrong
        "exanple ada",  # with the other name word exact
    ],
)
def test_one_typo_in_a_name_still_finds_the_patient_and_says_so(staff_client, born, query):
    response = staff_client.get("/patients/", {"q": query})
    assert listed_mrns(response) == ["B1"]
    assert "No exact match for" in response.content.decode()


def test_the_typo_search_never_reaches_another_clinic(client, outsider_staff, born):
    client.force_login(outsider_staff)
    assert listed_mrns(client.get("/patients/", {"q": "Exampel"})) == ["S1"]


def test_two_typos_in_one_word_find_nobody(staff_client, born):
    assert listed_mrns(staff_client.get("/patients/", {"q": "Exmapel"})) == []


def test_short_words_are_not_stretched(staff_client, born):
    assert listed_mrns(staff_client.get("/patients/", {"q": "Adx"})) == []


def test_an_exact_match_shows_no_near_misses(staff_client, born):
    PatientFactory(clinic=born[0].clinic, mrn="B4", given_name="Dan", family_name="Samples")
    response = staff_client.get("/patients/", {"q": "Sample"})
    assert listed_mrns(response) == ["B2", "B4"]
    assert "No exact match" not in response.content.decode()


def test_the_typo_search_reads_a_second_name_part(staff_client, born):
    PatientFactory(clinic=born[0].clinic, mrn="B5", given_name="Eve", family_name="Smith-Jonson")
    assert listed_mrns(staff_client.get("/patients/", {"q": "Jnson"})) == ["B5"]


@pytest.mark.parametrize(
    ("name", "hit"),
    [
        ("Example", True),
        ("Exampel", True),
        ("Smith Exanple", True),
        ("O'Examle", True),
        ("Counterexample", False),
        ("Exmaplo", False),
    ],
)
def test_one_typo_pattern_matches_a_name_part_one_edit_away(name, hit):
    assert bool(re.search(one_typo_pattern("Example"), name, re.IGNORECASE)) is hit


def test_falling_back_to_near_misses_costs_one_more_query(staff_client, born):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff_client.get("/patients/")  # session and user loaded once before counting
    with CaptureQueriesContext(connection) as exact:
        staff_client.get("/patients/", {"q": "Example"})
    with CaptureQueriesContext(connection) as near:
        staff_client.get("/patients/", {"q": "Exampel"})
    assert len(near) == len(exact) + 1
