"""Who reaches the portal, and that a patient reaches nothing else: not another patient's data,
not one staff page (every URL name of tracker/urls.py is tried, with real primary keys)."""

import datetime
import itertools
import re
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from tests.factories import PatientFactory, UserFactory
from tests.portal.portal_helpers import report_data
from tests.record_kinds import record_model
from tracker.services.labs import lab_result_mark_reviewed, lab_result_record
from tracker.services.portal import portal_released_analytes_set
from tracker.services.records import symptom_report_record

PATIENT_PAGES = ("portal_home", "portal_report", "portal_record_json", "portal_record_csv")
# Pages for everyone or for people who are not signed in (set-password and reset links).
PUBLIC_NAMES = {
    "home",
    "password_set",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
SLUG_VALUES = {"kind": ("symptoms", "patient", "lab", "flag"), "panel": ("fbc",)}


def _walk(patterns, converters=None):
    """(name, {kwarg: converter}) for every named URL under `patterns`, includes followed."""
    for entry in patterns:
        found = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, found)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, found


def staff_url_names() -> list[tuple[str, dict]]:
    names = dict(_walk(get_resolver("tracker.urls").url_patterns))
    return sorted((name, conv) for name, conv in names.items() if name not in PUBLIC_NAMES | set(PATIENT_PAGES))


def _urls(name, converters, int_values):
    """Every combination of the given primary keys and known slug values for one URL name."""
    slugs = [key for key, conv in converters.items() if not isinstance(conv, IntConverter)]
    for value in int_values:
        for combo in itertools.product(*(SLUG_VALUES.get(key, ("symptoms",)) for key in slugs)):
            kwargs = {key: value for key, conv in converters.items() if isinstance(conv, IntConverter)}
            yield reverse(name, kwargs={**kwargs, **dict(zip(slugs, combo, strict=True))})


@pytest.fixture
def records(patient, other_patient, staff_user):
    """A report for each patient; primary keys of both are tried on every staff URL."""
    day = datetime.date(2026, 1, 5)
    own = symptom_report_record(patient=patient, actor=staff_user, reported_on=day, swelling=1)
    later = day + datetime.timedelta(days=14)
    for who, note in ((patient, ""), (other_patient, "Ben's secret note")):
        symptom_report_record(patient=who, actor=staff_user, reported_on=day - datetime.timedelta(days=14), swelling=0)
        symptom_report_record(patient=who, actor=staff_user, reported_on=later, swelling=5, other_symptoms=note)
    theirs = record_model("symptoms").objects.get(patient=other_patient, reported_on=later)
    return own, theirs


def test_every_staff_url_is_refused_to_a_patient(patient_client, patient, other_patient, records, other_patient_user):
    own, theirs = records
    flags = list(record_model("flag").objects.filter(rule="R6").values_list("pk", flat=True))
    assert len(flags) == 2  # one flag of each patient
    int_values = {patient.pk, other_patient.pk, own.pk, theirs.pk, *flags}
    checked = 0
    for name, converters in staff_url_names():
        for url in _urls(name, converters, int_values):
            # A POST-only view may refuse a GET by method (405) before it checks the role; the
            # POST below must still be refused by role or visibility.
            assert patient_client.get(url).status_code in (403, 404, 405), f"GET {url} ({name})"
            assert patient_client.post(url).status_code in (403, 404), f"POST {url} ({name})"
            checked += 1
    assert checked >= len(staff_url_names())
    assert len(staff_url_names()) >= 15  # the walk really found the staff pages


@pytest.mark.parametrize("name", PATIENT_PAGES)
def test_anonymous_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", PATIENT_PAGES)
def test_staff_are_refused_the_patient_pages(staff_client, name):
    assert staff_client.get(reverse(name)).status_code == 403


def test_staff_cannot_submit_a_report_as_a_patient(staff_client, patient):
    response = staff_client.post(reverse("portal_report"), report_data())
    assert response.status_code == 403
    assert not record_model("symptoms").objects.exists()


def test_a_patient_account_without_a_linked_patient_is_refused(client, db):
    client.force_login(UserFactory(username="orphan", role="patient"))
    assert client.get(reverse("portal_home")).status_code == 403


def test_home_shows_only_the_patients_own_data(patient_client, patient, other_patient, staff_user, records):
    response = patient_client.get(reverse("portal_home"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Hello, Ada" in text
    assert not re.search(r"\bBen\b|\bSample\b", text) and "secret note" not in text
    assert response.context["last"]["report"].patient_id == patient.pk


def test_home_never_shows_flags_staff_text_or_unreleased_labs(patient_client, patient, staff_user):
    old = datetime.date(2026, 1, 5)
    symptom_report_record(patient=patient, actor=staff_user, reported_on=old, source="patient", swelling=1)
    symptom_report_record(
        patient=patient,
        actor=staff_user,
        reported_on=old + datetime.timedelta(days=20),
        source="staff",
        swelling=6,
        other_symptoms="Clinician note: query relapse",
    )
    assert record_model("flag").objects.filter(patient=patient, rule="R6").exists()
    platelets = lab_result_record(
        patient=patient, actor=staff_user, analyte="platelets", value="520", collected_on=old, unit="10^9/L"
    )
    lab_result_record(
        patient=patient, actor=staff_user, analyte="vegf", specimen="serum", value="2400", collected_on=old
    )

    text = patient_client.get(reverse("portal_home")).content.decode()
    # Whole words: the page's random CSRF token may contain these letters by chance.
    assert not re.search(r"\bR6\b|\bamber\b|\bflags?\b", text, re.IGNORECASE)
    assert "query relapse" not in text
    assert "Platelets" not in text and "VEGF" not in text

    portal_released_analytes_set(patient=patient, actor=staff_user, analytes=["platelets"])
    text = patient_client.get(reverse("portal_home")).content.decode()
    assert "Platelets" in text and "Awaiting review" in text  # abnormal: shown once a clinician has looked
    assert "520" not in text and "VEGF" not in text

    lab_result_mark_reviewed(result=platelets, actor=staff_user)
    text = patient_client.get(reverse("portal_home")).content.decode()
    assert "Platelets" in text and "520" in text and "Above the usual range" in text
    assert "VEGF" not in text


def test_released_results_of_another_patient_never_show(patient_client, patient, other_patient, staff_user):
    day = datetime.date(2026, 2, 1)
    lab_result_record(patient=other_patient, actor=staff_user, analyte="platelets", value="777", collected_on=day)
    portal_released_analytes_set(patient=patient, actor=staff_user, analytes=["platelets"])
    portal_released_analytes_set(patient=other_patient, actor=staff_user, analytes=["platelets"])
    text = patient_client.get(reverse("portal_home")).content.decode()
    assert not re.search(r"\b777\b", text)


def test_a_patient_never_sees_a_third_patients_report_by_any_path(client, clinic, staff_user, patient_user, patient):
    third = PatientFactory(clinic=clinic)
    symptom_report_record(
        patient=third, actor=staff_user, reported_on=datetime.date(2026, 3, 1), weight_kg=Decimal("99.9")
    )
    client.force_login(patient_user)
    for name in PATIENT_PAGES:
        assert "99.9" not in client.get(reverse(name)).content.decode()
