"""Cells that used to get through: a NUL or other control character (a traceback on
PostgreSQL, stored on SQLite), digits other than 0-9, a far date, a reference range upside
down, and digit errors without the field's range and unit."""

import pytest

from tests.record_kinds import record_model
from tracker.models import ImportRun

LABS = "mrn,collected_on,analyte,value,unit,specimen,ref_low,ref_high,lab\n"


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f"])
def test_a_control_character_in_a_cell_is_refused_with_row_and_column(run_import, registered, char):
    result = run_import("labs", LABS + f"IMP-001,2024-01-10,platelets,300,,,,,Lab{char}one\n")
    assert not result.ok
    code = f"U+{ord(char):04X}"
    assert result.problems == [
        f"row 1, column lab: contains the control character {code}, which is not allowed; retype the text without it"
    ]
    assert record_model("lab").objects.count() == 0
    run = ImportRun.objects.latest("pk")
    assert "\x00" not in str(run.errors)


def test_a_nul_in_the_header_or_file_name_is_stored_safely(run_import, registered, csv_file):
    path = csv_file("mrn,collected_on,analyte,value\x00\nIMP-001,2024-01-10,platelets,300\n")
    result = run_import("labs", path)
    assert not result.ok
    assert result.problems[0].startswith("row 0, column value\ufffd: unknown column")


@pytest.mark.parametrize("value", ["٣٠٠", "３００", "3٠0"])
def test_digits_other_than_0_to_9_are_not_a_number(run_import, registered, value):
    result = run_import("labs", LABS + f"IMP-001,2024-01-10,platelets,{value},,,,,\n")
    assert result.problems == [f"row 1, column value: {value!r} is not a number; write it with the digits 0-9"]
    visits = run_import("visits", f"mrn,visit_date,onls_leg,weight_kg\nIMP-001,2024-01-10,٣,{value}\n")
    assert visits.problems == [
        "row 1, column onls_leg: '٣' is not a whole number (write it with the digits 0-9); "
        "ONLS leg must be between 0 and 7 points",
        f"row 1, column weight_kg: {value!r} is not a number (write it with the digits 0-9); "
        "Weight must be between 20.0 and 300.0 kg",
    ]
    assert record_model("lab").objects.count() == record_model("visit").objects.count() == 0


def test_a_reference_low_above_the_high_is_refused(run_import, registered):
    result = run_import(
        "labs", LABS + "IMP-001,2024-01-10,platelets,300,,,450,150,\nIMP-001,2024-01-11,platelets,300,,,150,150,\n"
    )
    assert result.problems == [
        "row 1, column ref_low: Reference low cannot be above reference high.",
        "row 2, column ref_low: Reference low (150 ×10⁹/L) must be below reference high (150 ×10⁹/L).",
    ]


def test_too_many_digits_names_the_range_and_unit(run_import, registered):
    result = run_import("visits", "mrn,visit_date,weight_kg\nIMP-001,2024-01-10,70.25\n")
    assert result.problems == [
        "row 1, column weight_kg: Weight must be between 20.0 and 300.0 kg, with at most 1 decimal place."
    ]
    assert "digits" not in " ".join(result.problems)


@pytest.mark.parametrize("day", ["9999-12-31", "1800-01-01"])
def test_a_far_treatment_date_is_refused(run_import, registered, day):
    result = run_import("treatments", f"mrn,category,start_date\nIMP-001,corticosteroid,{day}\n")
    assert not result.ok
    assert result.problems[0].startswith("row 1, column start_date: Date " + day)
    assert record_model("treatment").objects.count() == 0
