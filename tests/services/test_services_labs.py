"""lab_result_record: value as entered beside the canonical value, references, refusals."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.record_kinds import record_model
from tests.services.conftest import DAY
from tracker.services.labs import lab_result_record
from tracker.services.patients import patient_update

D = Decimal


def record(patient, actor, **fields):
    return lab_result_record(patient=patient, actor=actor, collected_on=DAY, **fields)


def refused(patient, actor, record_counts, **fields) -> dict:
    """Record a lab result that must be refused; return the error dict and prove nothing was saved."""
    before = record_counts()
    with pytest.raises(ValidationError) as caught:
        record(patient, actor, **fields)
    assert record_counts() == before
    return caught.value.message_dict


def test_value_and_unit_are_stored_as_entered_beside_canonical_value_and_unit(patient, actor):
    result = record(patient, actor, analyte="hemoglobin", value="13.5", unit="g/dL", lab="City lab")
    stored = record_model("lab").objects.get(pk=result.pk)
    assert (stored.value_as_entered, stored.unit_as_entered) == (D("13.5"), "g/dL")
    assert (stored.value_canonical, stored.unit_canonical) == (D("135"), "g/L")
    assert (stored.specimen, stored.loinc, stored.source) == ("whole_blood", "718-7", "manual")
    assert stored.created_by == actor and stored.updated_by == actor


def test_less_than_result_is_stored_with_its_comparator(patient, actor):
    stored = record(patient, actor, analyte="m_protein", specimen="serum", value="<0.1")
    assert (stored.comparator, stored.value_canonical, stored.unit_canonical) == ("<", D("0.1"), "g/dL")
    assert stored.display_value == "<0.1 g/dL"


def test_report_reference_range_is_stored_in_canonical_units(patient, actor):
    stored = record(patient, actor, analyte="hemoglobin", value="11", unit="g/dL", ref_low="12", ref_high="15.5")
    assert (stored.ref_low, stored.ref_high) == (D("120"), D("155"))
    assert stored.range_flag == "Low"


def test_haematocrit_percent_reference_is_stored_as_a_fraction(patient, actor):
    stored = record(patient, actor, analyte="hematocrit", value="42", unit="%", ref_low="36", ref_high="46")
    assert (stored.value_canonical, stored.ref_low, stored.ref_high) == (D("0.42"), D("0.36"), D("0.46"))


def test_one_reference_limit_on_the_report_is_kept_without_a_catalogue_fallback(patient, actor):
    stored = record(patient, actor, analyte="vegf", specimen="serum", value="900", ref_high="1040")
    assert (stored.ref_low, stored.ref_high) == (None, D("1040"))


def test_hemoglobin_without_a_report_range_uses_the_female_fallback(patient, actor):
    stored = record(patient, actor, analyte="hemoglobin", value="125")
    assert (stored.ref_low, stored.ref_high) == (None, None)  # only a report's own range is stored
    assert stored.reference == (D("120"), D("160"), True)
    assert stored.display_reference == "120–160 g/L (default)"


def test_hemoglobin_without_a_report_range_uses_the_male_fallback(other_patient, actor):
    stored = record(other_patient, actor, analyte="hemoglobin", value="125")
    assert stored.reference == (D("130"), D("180"), True)
    assert stored.range_flag == "Low"


def test_fallback_range_follows_a_corrected_sex(patient, actor):
    stored = record(patient, actor, analyte="hemoglobin", value="125")
    assert stored.range_flag == ""
    patient_update(patient=patient, actor=actor, sex="male")
    assert record_model("lab").objects.get(pk=stored.pk).range_flag == "Low"


def test_serum_vegf_without_a_report_range_uses_the_catalogue_upper_limit(patient, actor):
    stored = record(patient, actor, analyte="vegf", specimen="serum", value="1500")
    assert stored.reference == (None, D("1000"), True)
    assert stored.range_flag == "High"


def test_prolactin_gets_no_fallback_range_because_it_is_not_converted(patient, actor):
    stored = record(patient, actor, analyte="prolactin", value="250", unit="mU/L")
    assert (stored.value_canonical, stored.unit_canonical) == (D("250"), "mU/L")
    assert (stored.ref_low, stored.ref_high) == (None, None)


def test_calcium_with_a_report_range_in_mg_dl_is_accepted(patient, actor):
    stored = record(patient, actor, analyte="calcium", value="9.2", unit="mg/dL", ref_low="8.5", ref_high="10.5")
    assert stored.value_canonical == D("2.2954")
    assert stored.ref_low == pytest.approx(D("2.1208"), abs=D("0.0001"))


def test_immunofixation_is_stored_as_a_category_with_its_detail(patient, actor):
    stored = record(patient, actor, analyte="ife", specimen="serum", value="Positive", detail=" IgA-lambda ")
    assert (stored.category, stored.detail, stored.value_canonical) == ("positive", "IgA-lambda", None)
    assert stored.display_value == "Positive (IgA-lambda)"
    assert stored.loinc == "14895-7"


def test_immunofixation_outside_its_categories_is_refused_naming_them(patient, actor, record_counts):
    errors = refused(patient, actor, record_counts, analyte="ife", specimen="urine_24h", value="weakly")
    assert errors["value"] == [
        "Immunofixation (urine, 24 h) takes one of negative, positive, equivocal, not_done, not 'weakly'"
    ]


def test_vegf_serum_above_50000_pg_ml_is_refused_naming_range_and_unit(patient, actor, record_counts):
    errors = refused(patient, actor, record_counts, analyte="vegf", specimen="serum", value="60000", unit="ng/L")
    assert "0 to 50,000 pg/mL" in errors["value"][0]
    assert "Serum VEGF" in errors["value"][0]


def test_vegf_without_specimen_is_refused_on_the_specimen_field(patient, actor, record_counts):
    errors = refused(patient, actor, record_counts, analyte="vegf", value="500")
    assert errors == {"specimen": ["specimen is required for vegf; allowed: serum, plasma"]}


def test_unknown_analyte_is_refused_on_the_analyte_field(patient, actor, record_counts):
    errors = refused(patient, actor, record_counts, analyte="ldh", value="200")
    assert "unknown analyte 'ldh'" in errors["analyte"][0]


def test_unknown_unit_is_refused_on_the_unit_field_naming_allowed_units(patient, actor, record_counts):
    errors = refused(patient, actor, record_counts, analyte="platelets", value="200", unit="cells/mm3")
    assert errors == {"unit": ["unit 'cells/mm3' is not accepted for Platelets; allowed: ×10⁹/L, ×10³/µL"]}


@pytest.mark.parametrize("value", ["", "  ", None])
def test_blank_value_is_refused_naming_the_accepted_units(patient, actor, record_counts, value):
    errors = refused(patient, actor, record_counts, analyte="wbc", value=value)
    assert errors == {"value": ["Enter the White cells value (×10⁹/L, ×10³/µL)."]}


def test_value_that_is_not_a_number_is_refused(patient, actor, record_counts):
    errors = refused(patient, actor, record_counts, analyte="wbc", value="6,5")
    assert "'6,5' is not a number" in errors["value"][0]


def test_reference_low_above_high_is_refused(patient, actor, record_counts):
    errors = refused(patient, actor, record_counts, analyte="wbc", value="6", ref_low="11", ref_high="4")
    assert errors == {"ref_low": ["Reference low cannot be above reference high."]}


def test_reference_that_is_not_a_number_is_refused_naming_the_field(patient, actor, record_counts):
    errors = refused(patient, actor, record_counts, analyte="wbc", value="6", ref_high="eleven")
    assert errors == {"ref_high": ["Reference high must be a number, not 'eleven'."]}


def test_unknown_confounder_is_refused_naming_the_allowed_ones(patient, actor, record_counts):
    errors = refused(
        patient, actor, record_counts, analyte="vegf", specimen="serum", value="800", confounders=["a_cold"]
    )
    assert errors["confounders"][0].startswith("unknown confounder a_cold; allowed: acute_illness,")


def test_vegf_confounders_are_stored(patient, actor):
    stored = record(
        patient, actor, analyte="vegf", specimen="serum", value="800", confounders=["acute_illness", "copd"]
    )
    assert record_model("lab").objects.get(pk=stored.pk).confounders == ["acute_illness", "copd"]


def test_reference_limit_that_is_not_finite_is_refused_naming_the_field(patient, actor, record_counts):
    errors = refused(patient, actor, record_counts, analyte="wbc", value="6", ref_low="NaN", ref_high="11")
    assert "ref_low" in errors
