"""Forms refuse what used to get through: control characters, digits other than 0-9, far
dates, an upside-down reference range; number errors name the field, range and unit."""

import pytest
from django.urls import reverse

from tests.record_kinds import record_model
from tests.views.test_views_record_forms import GOOD, MODELS, page_text

CASES = [
    ("treatment", {"regimen": "Dex\x00"}, "regimen", "contains the control character U+0000"),
    ("treatment", {"notes": "line one\x1bline two"}, "notes", "contains the control character U+001B"),
    ("treatment", {"start_date": "9999-12-31", "end_date": ""}, "start_date", "Date 9999-12-31 is in the future"),
    ("treatment", {"start_date": "1800-01-01", "end_date": ""}, "start_date", "Date 1800-01-01 is before 1900-01-01"),
    ("treatment", {"total_dose_gy": "١٢"}, "total_dose_gy", "write the number with the digits 0-9"),
    ("visit", {"onls_leg": "３"}, "onls_leg", "write the number with the digits 0-9"),
    ("visit", {"weight_kg": "70.25"}, "weight_kg", "Weight must be between 20.0 and 300.0 kg, with at most 1 decimal"),
    ("visit", {"weight_kg": "123456"}, "weight_kg", "Weight must be between 20.0 and 300.0 kg"),
    ("treatment", {"dose": "123456789.1234"}, "dose", "Dose must be between -9,999,999.999 and 9,999,999.999"),
]


@pytest.mark.parametrize(("kind", "changes", "field", "message"), CASES)
def test_bad_input_is_refused_with_a_message_naming_field_range_and_unit(
    staff_client, patient, kind, changes, field, message
):
    response = staff_client.post(reverse("record_create", args=[patient.pk, kind]), {**GOOD[kind], **changes})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert "no more than" not in page_text(response)
    assert MODELS[kind].objects.count() == 0


def test_lab_form_refuses_other_digits_and_an_equal_reference_range(staff_client, patient):
    url = reverse("lab_create", args=[patient.pk])
    good = {"analyte": "platelets", "collected_on": "2025-01-06", "value": "300"}
    response = staff_client.post(url, {**good, "value": "٣٠٠"})
    assert "write it with the digits 0-9" in " ".join(response.context["form"].errors["value"])
    response = staff_client.post(url, {**good, "ref_low": "150", "ref_high": "150"})
    assert "must be below reference high" in " ".join(response.context["form"].errors["ref_low"])
    response = staff_client.post(url, {**good, "lab": "North\x00lab"})
    assert "lab" in response.context["form"].errors
    assert record_model("lab").objects.count() == 0


def test_good_far_but_plausible_values_still_save(staff_client, patient):
    response = staff_client.post(
        reverse("record_create", args=[patient.pk, "treatment"]),
        {**GOOD["treatment"], "start_date": "1900-01-01", "end_date": "1900-02-01"},
    )
    assert response.status_code == 302
    assert record_model("treatment").objects.count() == 1
