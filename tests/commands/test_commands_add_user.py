"""add_user USERNAME --role ROLE [--mrn MRN] [--clinic CODE] --password-stdin (INTERFACES.md section 3)."""

import io
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tracker.models import Patient

User = get_user_model()
GOOD_PASSWORD = "plum-orchard-lantern-42"


@pytest.fixture
def add_user(monkeypatch, db):
    """Run add_user with `password` as the first line of standard input; return its output."""

    def run(*args, password=GOOD_PASSWORD):
        monkeypatch.setattr(sys, "stdin", io.StringIO(f"{password}\n"))
        out = io.StringIO()
        call_command("add_user", *args, "--password-stdin", stdout=out)
        return out.getvalue()

    return run


@pytest.fixture
def user_count(db):
    return lambda: (User.objects.count(), Patient.objects.filter(user__isnull=False).count())


@pytest.mark.parametrize("role", ["staff", "consultant"])
def test_clinical_account_joins_its_role_group_and_the_first_clinic(add_user, clinic, other_clinic, role):
    output = add_user("lee", "--role", role, "--email", "lee@example.org")
    user = User.objects.get(username="lee")
    assert output.strip() == f"created {role} lee"
    assert list(user.groups.values_list("name", flat=True)) == [role]
    assert list(user.clinics.all()) == [clinic]
    assert (user.email, user.check_password(GOOD_PASSWORD)) == ("lee@example.org", True)


def test_clinical_account_joins_the_named_clinics(add_user, clinic, other_clinic):
    add_user("lee", "--role", "staff", "--clinic", "south", "--clinic", "north")
    assert set(User.objects.get(username="lee").clinics.all()) == {clinic, other_clinic}


def test_patient_account_is_linked_to_exactly_one_patient(add_user, patient, other_patient):
    add_user("ada2", "--role", "patient", "--mrn", "P001")
    user = User.objects.get(username="ada2")
    assert list(Patient.objects.filter(user=user)) == [patient]
    assert Patient.objects.get(pk=other_patient.pk).user is None
    assert list(user.groups.values_list("name", flat=True)) == ["patient"]
    assert not user.clinics.exists()


def test_only_the_line_ending_is_stripped_from_the_password(add_user, clinic):
    add_user("lee", "--role", "staff", password=" spaced pass phrase 9 \r")
    assert User.objects.get(username="lee").check_password(" spaced pass phrase 9 ")


def test_new_account_can_sign_in_through_the_login_page(add_user, clinic, client):
    add_user("lee", "--role", "consultant")
    response = client.post("/accounts/login/", {"username": "lee", "password": GOOD_PASSWORD})
    assert (response.status_code, response.url) == (302, "/")


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (("--role", "patient", "--mrn", "NOPE"), GOOD_PASSWORD, "No patient with MRN 'NOPE'."),
        (("--role", "patient"), GOOD_PASSWORD, "A patient account needs --mrn naming its patient."),
        (("--role", "staff", "--mrn", "P001"), GOOD_PASSWORD, "--mrn is only for patient accounts."),
        (("--role", "staff"), "short9", "too short"),
        (("--role", "staff"), "password123", "too common"),
        (("--role", "staff"), "4815162342", "entirely numeric"),
        (("--role", "staff"), "", "No password on standard input."),
        (("--role", "staff", "--clinic", "east"), GOOD_PASSWORD, "No clinic with code 'east'."),
    ],
)
def test_refused_account_raises_command_error_and_creates_nothing(
    add_user, user_count, patient, args, password, message
):
    before = user_count()
    with pytest.raises(CommandError, match=message):
        add_user("newbie", *args, password=password)
    assert user_count() == before
    assert not User.objects.filter(username="newbie").exists()


def test_password_like_the_username_is_refused(add_user, clinic):
    with pytest.raises(CommandError, match="too similar to the username"):
        add_user("jordanexample", "--role", "staff", password="jordanexample1")
    assert not User.objects.filter(username="jordanexample").exists()


@pytest.mark.parametrize("username", ["nurse", "NURSE"])
def test_duplicate_username_is_refused_ignoring_case(add_user, user_count, staff_user, username):
    before = user_count()
    with pytest.raises(CommandError, match="already exists"):
        add_user(username, "--role", "consultant")
    assert user_count() == before
    assert not staff_user.groups.filter(name="consultant").exists()


def test_patient_that_already_has_an_account_is_refused(add_user, user_count, patient_user):
    before = user_count()
    with pytest.raises(CommandError, match="Patient P001 already has an account."):
        add_user("ada-again", "--role", "patient", "--mrn", "P001")
    assert user_count() == before
    assert Patient.objects.get(mrn="P001").user == patient_user


def test_unknown_role_is_refused(add_user, user_count):
    before = user_count()
    with pytest.raises(CommandError, match="invalid choice: 'admin'"):
        add_user("boss", "--role", "admin")
    assert user_count() == before


def test_password_must_come_from_standard_input(db, clinic):
    with pytest.raises(CommandError, match="--password-stdin"):
        call_command("add_user", "lee", "--role", "staff")
    assert not User.objects.filter(username="lee").exists()
