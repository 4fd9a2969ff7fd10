"""Reading a typed value ('<5', '>3000'), choosing the specimen, references and display."""

from decimal import Decimal

import pytest

from tracker import catalogue
from tracker.catalogue import CatalogueError, convert, get_analyte, get_spec, parse_value

D = Decimal


@pytest.mark.parametrize(
    ("text", "comparator", "value"),
    [
        ("<5", "<", "5"),
        (">3000", ">", "3000"),
        ("< 0.2", "<", "0.2"),
        ("  42 ", "=", "42"),
        ("1234.5", "=", "1234.5"),
        ("-1", "=", "-1"),
    ],
)
def test_leading_comparator_is_split_from_the_number(text, comparator, value):
    assert parse_value(text) == (comparator, D(value))


@pytest.mark.parametrize("text", ["abc", "", "   ", "<", "5,3", "1.2.3", "5 mg/L", "twelve", "=>5", "<<5"])
def test_text_that_is_not_a_number_is_refused(text):
    with pytest.raises(CatalogueError, match="is not a number"):
        parse_value(text)


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-inf", "<sNaN"])
def test_non_finite_numbers_are_refused(text):
    with pytest.raises(CatalogueError, match="not a (finite )?number"):
        parse_value(text)


def test_less_than_result_keeps_its_comparator_through_conversion():
    comparator, value = parse_value("<5")
    measured = convert(get_spec("flc_kappa"), value, "mg/dL", comparator=comparator)
    assert (measured.comparator, measured.value_canonical, measured.unit_canonical) == ("<", D("50"), "mg/L")


def test_greater_than_platelets_at_the_upper_bound_is_accepted():
    comparator, value = parse_value(">3000")
    measured = convert(get_spec("platelets"), value, "10^9/L", comparator=comparator)
    assert (measured.comparator, measured.value_canonical) == (">", D("3000"))


def test_unknown_comparator_is_refused_naming_the_allowed_ones():
    with pytest.raises(CatalogueError, match="comparator must be one of =, <, >"):
        convert(get_spec("platelets"), D("100"), comparator="<=")


@pytest.mark.parametrize(("code", "allowed"), [("vegf", "serum, plasma"), ("m_protein", "serum, urine_24h")])
def test_specimen_is_required_for_vegf_and_m_protein(code, allowed):
    assert get_analyte(code).specimen_required
    with pytest.raises(CatalogueError, match=f"specimen is required for {code}; allowed: {allowed}"):
        get_spec(code)


def test_specimen_is_required_for_immunofixation():
    with pytest.raises(CatalogueError, match="specimen is required for ife; allowed: serum, urine_24h, urine_spot"):
        get_spec("ife", "")


@pytest.mark.parametrize(
    ("code", "specimen"), [("vegf", "urine_24h"), ("vegf", "whole_blood"), ("hemoglobin", "serum"), ("ife", "plasma")]
)
def test_specimen_the_analyte_is_not_measured_in_is_refused_naming_allowed(code, specimen):
    allowed = ", ".join(get_analyte(code).specimens)
    with pytest.raises(CatalogueError, match=f"specimen '{specimen}' is not accepted for {code}; allowed: {allowed}"):
        get_spec(code, specimen)


def test_unknown_specimen_code_is_refused():
    with pytest.raises(CatalogueError, match="specimen 'csf' is not accepted"):
        get_spec("vegf", "csf")


def test_serum_and_plasma_vegf_are_separate_specs():
    serum, plasma = get_spec("vegf", "serum"), get_spec("vegf", "plasma")
    assert (serum.key, plasma.key) == ("vegf/serum", "vegf/plasma")
    assert serum.high == D("50000") and plasma.high == D("10000")
    assert serum.default_reference().high == D("1000")
    assert plasma.default_reference().high == D("96.2")


@pytest.mark.parametrize(
    ("code", "specimen"),
    [(code, a.default_specimen) for code, a in catalogue.ANALYTES.items() if not a.specimen_required],
)
def test_analytes_without_a_required_specimen_default_to_their_usual_one(code, specimen):
    assert get_spec(code).specimen == specimen


def test_unknown_analyte_is_refused_naming_the_catalogue():
    with pytest.raises(CatalogueError, match="unknown analyte 'ldh'; allowed: vegf, hemoglobin"):
        get_spec("ldh")


def test_hemoglobin_fallback_reference_is_sex_specific():
    spec = get_spec("hemoglobin")
    assert spec.default_reference("male") == catalogue.RefRange(D("130"), D("180"))
    assert spec.default_reference("female") == catalogue.RefRange(D("120"), D("160"))
    assert spec.default_reference("unknown") == catalogue.RefRange(D("120"), D("180"))


@pytest.mark.parametrize(
    ("code", "value", "unit", "expected"),
    [
        ("hematocrit", "38", "%", "0.38"),
        ("hemoglobin", "12", "g/dL", "120"),
        ("calcium", "8.5", "mg/dL", "2.1208"),
        ("flc_kappa", "1.94", "mg/dL", "19.4"),
        ("prolactin", "25", "mU/L", "25"),
        ("hemoglobin", "130", "", "130"),
    ],
)
def test_report_reference_limit_is_converted_with_the_value_unit(code, value, unit, expected):
    assert catalogue.convert_reference(get_spec(code), D(value), unit) == D(expected)


def test_missing_reference_limit_stays_missing():
    assert catalogue.convert_reference(get_spec("hemoglobin"), None, "g/dL") is None


@pytest.mark.parametrize(
    ("unit", "shown"),
    [("10^9/L", "×10⁹/L"), ("10^3/uL", "×10³/µL"), ("umol/L", "µmol/L"), ("ratio", ""), ("g/L", "g/L")],
)
def test_units_are_displayed_as_people_write_them(unit, shown):
    assert catalogue.display_unit(unit) == shown


@pytest.mark.parametrize(
    ("value", "shown"), [("1234.50", "1,234.5"), ("135", "135"), ("0.420", "0.42"), ("50000", "50,000")]
)
def test_values_are_displayed_without_trailing_zeros(value, shown):
    assert catalogue.format_value(D(value), 3) == shown


@pytest.mark.parametrize(
    ("attempt", "field"),
    [
        (lambda: get_analyte("unobtainium"), "analyte"),
        (lambda: get_spec("vegf"), "specimen"),
        (lambda: get_spec("vegf", "urine_24h"), "specimen"),
        (lambda: parse_value("twelve"), "value"),
        (lambda: convert(get_spec("platelets"), D("50"), "mmol/L"), "unit"),
        (lambda: convert(get_spec("platelets"), D("1e25"), ""), "value"),
    ],
)
def test_catalogue_errors_name_the_field_they_are_about(attempt, field):
    with pytest.raises(CatalogueError) as caught:
        attempt()
    assert caught.value.field == field
