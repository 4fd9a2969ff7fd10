"""Posting the patient, checklist and laboratory forms: bad input re-renders with the message
and saves nothing; good input saves through the service and redirects to the patient page."""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.record_kinds import record_model
from tracker.models import Patient

D = Decimal


def page_text(response) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def assert_rerendered_with(response, *messages):
    assert response.status_code == 200
    text = page_text(response)
    for message in messages:
        assert message in text


NEW_PATIENT = {
    "mrn": "N-200",
    "given_name": "Dora",
    "family_name": "Madeup",
    "birth_date": "1966-02-03",
    "sex": "female",
    "light_chain": "lambda",
    "report_interval_days": "28",
}


def test_registering_a_patient_saves_and_opens_the_patient_page(staff_client, clinic, staff_user):
    response = staff_client.post(reverse("patient_create"), {**NEW_PATIENT, "clinic": clinic.pk})
    patient = Patient.objects.get(mrn="N-200")
    assert response.url == reverse("patient_detail", args=[patient.pk])
    assert (patient.clinic, patient.created_by, patient.light_chain) == (clinic, staff_user, "lambda")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"report_interval_days": "400"}, "Report interval must be between 7 and 365 days."),
        ({"mrn": "bad mrn!"}, "MRN must be 1 to 32 letters, digits"),
        ({"birth_date": "1850-01-01"}, "Birth date must be on or after 1900-01-01."),
        ({"mrn": "P001"}, "Patient with this MRN already exists."),
    ],
)
def test_bad_registration_shows_the_message_and_saves_nothing(staff_client, clinic, patient, changes, message):
    before = Patient.objects.count()
    response = staff_client.post(reverse("patient_create"), {**NEW_PATIENT, "clinic": clinic.pk, **changes})
    assert_rerendered_with(response, message)
    assert Patient.objects.count() == before


def test_staff_cannot_register_a_patient_into_a_clinic_they_do_not_belong_to(staff_client, other_clinic):
    response = staff_client.post(reverse("patient_create"), {**NEW_PATIENT, "clinic": other_clinic.pk})
    assert_rerendered_with(response, "Select a valid choice.")
    assert not Patient.objects.filter(mrn="N-200").exists()


def test_editing_patient_details_saves_with_history(consultant_client, patient, consultant_user):
    data = {**NEW_PATIENT, "mrn": "P001", "clinic": patient.clinic.pk, "family_name": "Renamed"}
    response = consultant_client.post(reverse("patient_edit", args=[patient.pk]), data)
    assert response.url == reverse("patient_detail", args=[patient.pk])
    patient.refresh_from_db()
    assert (patient.family_name, patient.history.latest().history_user) == ("Renamed", consultant_user)


def test_bad_patient_edit_shows_the_message_and_changes_nothing(staff_client, patient):
    data = {**NEW_PATIENT, "mrn": "P001", "clinic": patient.clinic.pk, "report_interval_days": "3"}
    response = staff_client.post(reverse("patient_edit", args=[patient.pk]), data)
    assert_rerendered_with(response, "Report interval must be between 7 and 365 days.")
    patient.refresh_from_db()
    assert (patient.report_interval_days, patient.history.count()) == (28, 1)


def test_checklist_form_saves_and_the_page_shows_the_derived_diagnosis(staff_client, patient):
    data = {
        "polyradiculoneuropathy": "on",
        "clonal_plasma_cell_disorder": "on",
        "sclerotic_bone_lesions": "on",
        "endocrinopathy": "on",
        "endocrine_axes": ["thyroid"],
    }
    response = staff_client.post(reverse("checklist_edit", args=[patient.pk]), data)
    assert response.url == reverse("patient_detail", args=[patient.pk])
    checklist = record_model("checklist").objects.get(patient=patient)
    assert (checklist.diagnosis_met, checklist.endocrine_axes) == (True, ["thyroid"])
    detail = page_text(staff_client.get(response.url))
    assert "Diagnostic criteria: met (1 other major, 1 minor)" in detail
    assert "Diabetes mellitus or thyroid abnormality alone is not sufficient" in detail


def test_checklist_with_an_unknown_sub_flag_is_refused(staff_client, patient):
    response = staff_client.post(reverse("checklist_edit", args=[patient.pk]), {"endocrine_axes": ["liver"]})
    assert_rerendered_with(response, "Select a valid choice. liver is not one of the available choices.")
    assert not record_model("checklist").objects.exists()


def lab_post(client, patient, **data):
    return client.post(reverse("lab_create", args=[patient.pk]), {"collected_on": "2025-02-03", **data})


def test_lab_result_form_saves_converted_and_redirects_to_the_labs_section(staff_client, patient):
    response = lab_post(staff_client, patient, analyte="hemoglobin", value="13.5", unit="g/dL")
    assert response.url == reverse("patient_detail", args=[patient.pk]) + "#labs"
    stored = record_model("lab").objects.get(patient=patient)
    assert (stored.value_canonical, stored.value_as_entered, stored.unit_as_entered) == (D("135"), D("13.5"), "g/dL")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"analyte": "vegf", "specimen": "serum", "value": "60000"}, "0 to 50,000 pg/mL"),
        ({"analyte": "vegf", "value": "500"}, "specimen is required for vegf; allowed: serum, plasma"),
        ({"analyte": "platelets", "value": "200", "unit": "g/L"}, "allowed: ×10⁹/L, ×10³/µL"),
        ({"analyte": "wbc", "value": "six"}, "'six' is not a number"),
        ({"analyte": "wbc", "value": "6", "ref_low": "11", "ref_high": "4"}, "Reference low cannot be above"),
        ({"analyte": "ife", "specimen": "serum", "value": "maybe"}, "takes one of negative, positive"),
    ],
)
def test_bad_lab_result_shows_the_message_and_saves_nothing(staff_client, patient, data, message):
    assert_rerendered_with(lab_post(staff_client, patient, **data), message)
    assert not record_model("lab").objects.exists()


def panel_post(client, patient, panel, **rows):
    data = {"collected_on": "2025-02-03", "lab": "City lab"}
    for code, fields in rows.items():
        data.update({f"{code}-{name}": value for name, value in fields.items()})
    return client.post(reverse("lab_panel_create", args=[patient.pk, panel]), data)


FBC_ROWS = {
    "hemoglobin": {"value": "13.5", "unit": "g/dL"},
    "hematocrit": {"value": "41", "unit": "%"},
    "platelets": {"value": "520", "unit": "10^3/uL"},
    "wbc": {"value": "", "unit": "10^9/L"},
}


def test_blood_count_panel_saves_the_filled_rows_and_skips_blank_ones(staff_client, patient):
    response = panel_post(staff_client, patient, "fbc", **FBC_ROWS)
    assert response.url.endswith("#labs")
    assert set(record_model("lab").objects.values_list("analyte", flat=True)) == {
        "hemoglobin",
        "hematocrit",
        "platelets",
    }


def test_blood_count_with_one_bad_row_shows_it_beside_the_row_and_saves_nothing(staff_client, patient):
    rows = {**FBC_ROWS, "hematocrit": {"value": "95", "unit": "%"}}
    response = panel_post(staff_client, patient, "fbc", **rows)
    assert_rerendered_with(response, "Haematocrit: 95 % is outside the plausible range", "0.1 to 0.8 L/L (10 to 80 %)")
    assert not record_model("lab").objects.exists()


VEGF_ROWS = {
    "vegf": {"value": "1500", "unit": "pg/mL", "specimen": "serum"},
    "m_protein": {"value": "<0.1", "unit": "g/dL", "specimen": "serum"},
    "ife": {"value": "positive", "detail": "IgA-lambda"},
    "flc_kappa": {"value": "15", "unit": "mg/L"},
    "flc_lambda": {"value": "45", "unit": "mg/L"},
    "flc_ratio": {"value": "", "unit": "ratio"},
}


def test_vegf_panel_saves_and_computes_the_light_chain_ratio(consultant_client, patient):
    response = panel_post(consultant_client, patient, "vegf", **VEGF_ROWS)
    assert response.status_code == 302
    stored = {r.analyte: r for r in record_model("lab").objects.all()}
    assert set(stored) == {"vegf", "m_protein", "ife", "flc_kappa", "flc_lambda", "flc_ratio"}
    assert stored["flc_ratio"].value_canonical == D("0.333")
    assert (stored["m_protein"].comparator, stored["ife"].detail) == ("<", "IgA-lambda")


def test_vegf_panel_with_serum_vegf_above_the_limit_saves_nothing(staff_client, patient):
    rows = {**VEGF_ROWS, "vegf": {"value": "60000", "unit": "ng/L", "specimen": "serum"}}
    response = panel_post(staff_client, patient, "vegf", **rows)
    assert_rerendered_with(response, "Serum VEGF: 60,000 ng/L is outside the plausible range", "0 to 50,000 pg/mL")
    assert not record_model("lab").objects.exists()


def test_panel_with_no_result_asks_for_one(staff_client, patient):
    blank = {code: {"value": "", "unit": fields["unit"]} for code, fields in FBC_ROWS.items()}
    response = panel_post(staff_client, patient, "fbc", **blank)
    assert_rerendered_with(response, "Enter at least one result.")


def test_urine_m_protein_can_be_entered_on_the_single_result_form(staff_client, patient):
    response = lab_post(staff_client, patient, analyte="m_protein", specimen="urine_24h", value="0.15", unit="g/24h")
    assert response.status_code == 302
    stored = record_model("lab").objects.get(patient=patient)
    assert (stored.specimen, stored.value_canonical, stored.unit_canonical) == ("urine_24h", D("150"), "mg/24h")


def test_vegf_panel_takes_serum_m_protein_and_urine_goes_on_the_single_result_form(staff_client, patient):
    page = staff_client.get(reverse("lab_panel_create", args=[patient.pk, "vegf"])).content.decode()
    assert 'name="m_protein-specimen"' not in page and 'name="vegf-specimen"' in page
    response = staff_client.post(
        reverse("lab_create", args=[patient.pk]),
        {
            "analyte": "m_protein",
            "specimen": "urine_24h",
            "collected_on": "2025-01-10",
            "value": "150",
            "unit": "mg/24h",
        },
    )
    assert response.status_code == 302
    stored = record_model("lab").objects.get(analyte="m_protein")
    assert (stored.specimen, stored.value_canonical, stored.unit_canonical) == ("urine_24h", D("150"), "mg/24h")
