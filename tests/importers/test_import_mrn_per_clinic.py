"""MRN unique per clinic: the optional `clinic` column of every kind, needed only when the
importing user belongs to more than one clinic holding the MRN; commands ask for --clinic."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError

from tests.factories import PatientFactory
from tests.record_kinds import record_model
from tracker.models import Patient


@pytest.fixture
def twins(clinic, other_clinic):
    """The same hospital number in two clinics: two different patients."""
    return (
        PatientFactory(clinic=clinic, mrn="MRN-7", given_name="North"),
        PatientFactory(clinic=other_clinic, mrn="MRN-7", given_name="South"),
    )


def test_the_database_refuses_one_mrn_twice_in_a_clinic(clinic, twins):
    with pytest.raises(IntegrityError):
        PatientFactory(clinic=clinic, mrn="MRN-7")


def test_an_mrn_in_two_of_the_importers_clinics_needs_the_clinic_column(run_import, twins):
    visits = "mrn,visit_date,onls_leg\nMRN-7,2024-01-10,2\n"
    result = run_import("visits", visits)
    assert result.problems == [
        "row 1, column mrn: mrn 'MRN-7' is registered in more than one of your clinics (north, south); "
        "add a clinic column naming the clinic"
    ]
    result = run_import("visits", "mrn,visit_date,onls_leg,clinic\nMRN-7,2024-01-10,2,south\n")
    assert result.ok, result.err
    assert record_model("visit").objects.get().patient == twins[1]
    result = run_import("labs", "mrn,collected_on,analyte,value,clinic\nMRN-7,2024-01-10,platelets,300,NORTH\n")
    assert result.ok, result.err
    assert record_model("lab").objects.get().patient == twins[0]
    result = run_import("labs", "mrn,collected_on,analyte,value,clinic\nMRN-7,2024-01-10,platelets,300,east\n")
    assert result.problems == ["row 1, column clinic: unknown clinic 'east'; allowed: north, south"]


def test_patients_file_updates_the_patient_of_the_named_clinic(run_import, twins):
    header = "mrn,given_name,family_name,birth_date,sex,clinic\n"
    result = run_import("patients", header + "MRN-7,Southern,Family1,1970-05-17,female,south\n", "--update")
    assert result.ok, result.err
    assert Patient.objects.get(pk=twins[1].pk).given_name == "Southern"
    assert Patient.objects.get(pk=twins[0].pk).given_name == "North"
    blank = run_import("patients", header + "MRN-7,X,Y,1970-05-17,female,\n")
    assert blank.problems[0].startswith("row 1, column mrn: mrn MRN-7 is registered in more than one of your clinics")


def test_commands_say_when_an_mrn_is_ambiguous_and_take_a_clinic(twins, monkeypatch):
    with pytest.raises(CommandError, match=r"more than one clinic \(north, south\); add --clinic CODE"):
        call_command("flags", "--mrn", "MRN-7", stdout=io.StringIO())
    out = io.StringIO()
    call_command("flags", "--mrn", "MRN-7", "--clinic", "south", stdout=out)
    assert '"mrn": "MRN-7"' in out.getvalue()
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-synthetic-passphrase-7\n"))
    with pytest.raises(CommandError, match="add --clinic CODE"):
        call_command("add_user", "south7", "--role", "patient", "--mrn", "MRN-7", "--password-stdin")
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-synthetic-passphrase-7\n"))
    call_command(
        "add_user",
        "south7",
        "--role",
        "patient",
        "--mrn",
        "MRN-7",
        "--clinic",
        "south",
        "--password-stdin",
        stdout=io.StringIO(),
    )
    assert Patient.objects.get(pk=twins[1].pk).user.username == "south7"
