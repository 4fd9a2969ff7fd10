"""What spreadsheets produce is accepted; a file that cannot be read gets a message saying why."""

import datetime

import pytest

from tests.record_kinds import record_model
from tracker.models import ImportRun

VISITS = "mrn,visit_date,onls_arm,notes\n"


def test_bom_windows_line_endings_quotes_spaces_and_trailing_blank_lines_are_fine(run_import, registered):
    text = (
        "\ufeffmrn , Visit_Date ,onls_arm,notes\r\n"
        ' IMP-001 , 2024-01-10 , 2 ,"Tired, walks with a stick"\r\n'
        '"IMP-002",2024-01-11,,"Line one\r\nline two"\r\n'
        "\r\n,,,\r\n\r\n"
    )
    result = run_import("visits", text.encode("utf-8"))
    assert result.ok, result.err
    assert result.out.strip() == "imported: 2 created, 0 unchanged, 0 updated"
    first = record_model("visit").objects.get(patient__mrn="IMP-001")
    assert (first.onls_arm, first.notes) == (2, "Tired, walks with a stick")
    assert record_model("visit").objects.get(patient__mrn="IMP-002").notes == "Line one\r\nline two"


def test_a_blank_row_in_the_middle_is_skipped_and_keeps_the_numbering(run_import, registered):
    result = run_import("visits", VISITS + "IMP-001,2024-01-10,,\n\nIMP-001,2024-02-30,,\n")
    assert result.problems == ["row 3, column visit_date: '2024-02-30' is not a date; use YYYY-MM-DD"]


def test_a_file_that_is_not_utf8_names_the_line(run_import, registered):
    result = run_import("visits", (VISITS + "IMP-001,2024-01-10,,Caf\xe9\n").encode("latin-1"))
    assert not result.ok
    assert result.problems == [
        "file: the file is not UTF-8 text (line 2, byte 54); save it as 'CSV UTF-8 (comma delimited)'"
    ]
    assert record_model("visit").objects.count() == 0


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n"])
def test_an_empty_file_asks_for_the_header(run_import, registered, content):
    result = run_import("visits", content)
    assert result.problems == ["row 0: the file is empty; the first row must be the header: mrn, visit_date"]


def test_a_header_without_rows_is_an_error(run_import, registered):
    result = run_import("visits", VISITS + "\n")
    assert result.problems == ["row 1: the file has a header but no data rows"]
    assert ImportRun.objects.get(kind="visits").status == "failed"


def test_duplicated_unknown_and_missing_columns_are_all_reported(run_import, registered):
    result = run_import("visits", "mrn,onls_arm,onls_arm,onls_armm\nIMP-001,1,1,1\n")
    assert result.problems == [
        "row 0, column onls_arm: the column appears twice; keep one",
        "row 0, column onls_armm: unknown column; allowed: mrn, visit_date, onls_arm, onls_leg, incat_arm, "
        "incat_leg, mrs, ecog, pain_nrs, weight_kg, mrc_sum, vibration_sense, reflexes, oedema, skin_changes, "
        "organomegaly, papilloedema, notes, clinic",
        "row 0, column visit_date: required column is missing",
    ]


def test_a_file_over_the_size_limit_is_refused_before_reading(run_import, registered, settings):
    settings.IMPORT_COMMAND_MAX_BYTES = 1024
    result = run_import("visits", VISITS + "IMP-001,2024-01-10,,\n" * 60)
    assert result.problems == ["file: the file is 1,290 bytes, over the limit of 1,024 bytes; split it"]
    assert record_model("visit").objects.count() == 0


def test_the_command_line_is_not_bound_by_the_web_upload_limit(run_import, registered, settings):
    settings.IMPORT_MAX_BYTES = 1024  # the web limit
    first = datetime.date(2015, 1, 1)
    text = "mrn,collected_on,analyte,value\n" + "".join(
        f"IMP-001,{first + datetime.timedelta(days=i)},platelets,{200 + i % 7}\n" for i in range(400)
    )
    assert len(text.encode()) > 10 * 1024
    result = run_import("labs", text)
    assert result.ok, result.problems
    assert record_model("lab").objects.count() == 400


def test_a_row_with_more_cells_than_the_header_is_an_error(run_import, registered):
    result = run_import("visits", VISITS + "IMP-001,2024-01-10,1,note,extra\n")
    assert result.problems == ["row 1: the row has 5 cells but the header names 4 columns"]


def test_an_unclosed_quote_is_reported(run_import, registered):
    result = run_import("labs", 'mrn,collected_on,analyte,value\nIMP-001,2024-01-10,platelets,"300\n')
    assert not result.ok
    assert result.problems[0].startswith("row ")
    assert "check the quotes" in result.problems[0]
    assert record_model("lab").objects.count() == 0


def test_a_missing_file_is_a_command_error(run_import, registered):
    result = run_import("visits", "/no/such/file.csv")
    assert not result.ok and "No such file" in result.err
