"""Typing lab results as a report prints them: thousands separators, units written either way
(shown one way: ×10⁹/L, µmol/L), and date boxes in the clinic's order when the picker would not be."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.record_kinds import record_model
from tests.views.test_views_patient_lab_forms import (
    FBC_ROWS,
    assert_rerendered_with,
    lab_post,
    page_text,
    panel_post,
)
from tracker import catalogue
from tracker.services.labs import lab_result_record

D = Decimal


@pytest.mark.parametrize(
    ("text", "comparator", "value"),
    [("1,250", "=", "1250"), ("<12,500.5", "<", "12500.5"), ("1,000,000", "=", "1000000"), ("-1,250", "=", "-1250")],
)
def test_thousands_separators_are_read(text, comparator, value):
    assert catalogue.parse_value(text) == (comparator, D(value))


@pytest.mark.parametrize("text", ["6,5", "12,50", "1,2345", ",125", "1,,250"])
def test_a_comma_that_is_not_a_thousands_separator_is_refused_saying_how_to_write_it(text):
    with pytest.raises(catalogue.CatalogueError, match="a comma only separates thousands, as in 1,250"):
        catalogue.parse_value(text)


def test_a_vegf_typed_with_a_thousands_separator_is_stored_as_the_number(staff_client, patient):
    lab_post(staff_client, patient, analyte="vegf", specimen="serum", value="1,250", ref_high="1,000")
    stored = record_model("lab").objects.get(patient=patient)
    assert (stored.value_as_entered, stored.value_canonical, stored.ref_high) == (D("1250"), D("1250"), D("1000"))


def test_a_decimal_comma_is_refused_with_the_field_and_nothing_saved(staff_client, patient):
    response = lab_post(staff_client, patient, analyte="wbc", value="6,5")
    assert_rerendered_with(response, "'6,5' is not a number (use '.' for decimals, as in 6.5")
    assert not record_model("lab").objects.exists()


def test_the_panel_reads_thousands_separators_in_values_and_reference_limits(staff_client, patient):
    rows = {**FBC_ROWS, "platelets": {"value": "1,250", "unit": "10^9/L", "ref_high": "1,000"}}
    response = panel_post(staff_client, patient, "fbc", **rows)
    assert response.status_code == 302
    stored = record_model("lab").objects.get(analyte="platelets")
    assert (stored.value_canonical, stored.ref_high) == (D("1250"), D("1000"))


@pytest.mark.parametrize(
    ("analyte", "typed", "stored"),
    [
        ("platelets", "×10⁹/L", "10^9/L"),
        ("platelets", "x10^9/L", "10^9/L"),
        ("platelets", "×10³/µL", "10^3/uL"),
        ("platelets", "10^3/uL", "10^3/uL"),
        ("creatinine", "µmol/L", "umol/L"),  # micro sign
        ("creatinine", "μmol/L", "umol/L"),  # Greek mu
        ("egfr", "mL/min/1.73 m²", "mL/min/1.73m2"),
    ],
)
def test_a_unit_written_as_shown_or_as_stored_is_accepted(patient, staff_user, analyte, typed, stored):
    result = lab_result_record(
        patient=patient,
        actor=staff_user,
        analyte=analyte,
        collected_on=datetime.date(2025, 1, 5),
        value="90",
        unit=typed,
    )
    assert result.unit_as_entered == stored


def test_a_unit_of_another_kind_is_still_refused(patient, staff_user):
    with pytest.raises(Exception, match="unit 'mg/L' is not accepted for Platelets; allowed: ×10⁹/L, ×10³/µL"):
        lab_result_record(
            patient=patient,
            actor=staff_user,
            analyte="platelets",
            collected_on=datetime.date(2025, 1, 5),
            value="9",
            unit="mg/L",
        )


def test_pages_write_units_one_way(staff_client, patient, staff_user):
    lab_result_record(
        patient=patient, actor=staff_user, analyte="platelets", collected_on=datetime.date(2025, 1, 5), value="250"
    )
    lab_result_record(
        patient=patient, actor=staff_user, analyte="creatinine", collected_on=datetime.date(2025, 1, 5), value="90"
    )
    detail = page_text(staff_client.get(reverse("patient_detail", args=[patient.pk])))
    assert "250 ×10⁹/L" in detail and "90 µmol/L" in detail
    assert "10^9/L" not in detail and "umol/L" not in detail
    panel = page_text(staff_client.get(reverse("lab_panel_create", args=[patient.pk, "fbc"])))
    assert "canonical ×10⁹/L" in panel and "10^9/L" not in panel and "10^3/uL" not in panel


def test_date_boxes_are_the_browsers_picker_by_default(staff_client, patient):
    html = staff_client.get(reverse("lab_create", args=[patient.pk])).content.decode()
    assert 'type="date" name="collected_on"' in html


def test_typed_date_boxes_follow_the_clinics_day_month_order(staff_client, patient, settings):
    settings.POEMS_DATE_INPUT = "typed"
    html = staff_client.get(reverse("lab_panel_create", args=[patient.pk, "fbc"])).content.decode()
    assert 'type="text" name="collected_on"' in html and 'placeholder="dd/mm/yyyy"' in html
    response = staff_client.post(
        reverse("lab_create", args=[patient.pk]), {"collected_on": "03/02/2025", "analyte": "wbc", "value": "6"}
    )
    assert response.status_code == 302
    assert record_model("lab").objects.get().collected_on == datetime.date(2025, 2, 3)


def test_typed_dates_redisplay_in_the_clinics_order(staff_client, patient, settings):
    settings.POEMS_DATE_INPUT = "typed"
    response = staff_client.post(reverse("patient_edit", args=[patient.pk]), {"birth_date": "31/02/1970"})
    assert_rerendered_with(response, "Birth date: enter a real date as dd/mm/yyyy or yyyy-mm-dd.")
    html = staff_client.get(reverse("patient_edit", args=[patient.pk])).content.decode()
    assert f'value="{patient.birth_date:%d/%m/%Y}"' in html


def test_month_day_order_when_the_clinic_writes_dates_so(staff_client, patient, settings):
    settings.POEMS_DATE_INPUT = "typed"
    settings.POEMS_DATE_ORDER = "MDY"
    html = staff_client.get(reverse("lab_create", args=[patient.pk])).content.decode()
    assert 'placeholder="mm/dd/yyyy"' in html
    staff_client.post(
        reverse("lab_create", args=[patient.pk]), {"collected_on": "02/13/2025", "analyte": "wbc", "value": "6"}
    )
    assert record_model("lab").objects.get().collected_on == datetime.date(2025, 2, 13)


def test_a_bad_panel_date_is_marked_and_described_by_its_message(staff_client, patient, settings):
    settings.POEMS_DATE_INPUT = "typed"
    data = {"collected_on": "40/13/2025", "lab": "City lab"}
    data.update({f"{code}-{name}": value for code, row in FBC_ROWS.items() for name, value in row.items()})
    html = staff_client.post(reverse("lab_panel_create", args=[patient.pk, "fbc"]), data).content.decode()
    date_box = re.search(r"<input[^>]*name=\"collected_on\"[^>]*>", html).group(0)
    assert 'type="text"' in date_box and "is-invalid" in date_box
    assert 'aria-invalid="true"' in date_box and 'aria-describedby="id_collected_on_error"' in date_box
    assert 'id="id_collected_on_error">Collected on: enter a real date as dd/mm/yyyy or yyyy-mm-dd.' in html
    assert not record_model("lab").objects.exists()
