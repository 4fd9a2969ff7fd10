"""The single lab result form offers the catalogue's units as a list instead of a text box:
grouped by analyte for a browser without script, with a map entry.js narrows it by; a unit the
analyte does not accept is still refused naming the field and the accepted units."""

import html
import json
import re

from django.urls import reverse

from tests.record_kinds import record_model
from tests.views.test_views_patient_lab_forms import assert_rerendered_with, lab_post, page_text
from tracker import catalogue


def unit_select(response) -> str:
    match = re.search(r'<select name="unit"[^>]*>.*?</select>', response.content.decode(), re.S)
    assert match, "the lab result form has no unit list"
    return match.group(0)


def test_the_unit_is_a_list_grouped_by_analyte_with_the_usual_unit_first(staff_client, patient):
    select = unit_select(staff_client.get(reverse("lab_create", args=[patient.pk])))
    assert '<option value="" selected>The analyte&#x27;s usual unit</option>' in select
    creatinine = re.search(r'<optgroup label="Creatinine">(.*?)</optgroup>', select, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)">([^<]*)</option>', creatinine) == [
        ("umol/L", "µmol/L"),
        ("mg/dL", "mg/dL"),
    ]
    # M-protein's units differ by specimen: one group each; VEGF's do not: one group.
    labels = re.findall(r'<optgroup label="([^"]*)">', select)
    assert [label for label in labels if label.startswith(("VEGF", "M-protein"))] == [
        "VEGF",
        "M-protein, serum",
        "M-protein, urine, 24 hour",
        "M-protein, urine, spot",
    ]
    assert not any(label.lower().startswith("immunofixation") for label in labels)


def test_the_list_carries_the_catalogue_map_the_script_narrows_it_by(staff_client, patient):
    select = unit_select(staff_client.get(reverse("lab_create", args=[patient.pk])))
    data = json.loads(html.unescape(re.search(r'data-units="([^"]*)"', select).group(1)))
    assert set(data) == set(catalogue.ANALYTES)
    platelets = data["platelets"]["specs"][data["platelets"]["default"]]
    assert platelets == {"canonical": "10^9/L", "units": [["10^9/L", "×10⁹/L"], ["10^3/uL", "×10³/µL"]]}
    assert data["m_protein"]["specs"]["urine_24h"]["units"] == [["mg/24h", "mg/24h"], ["g/24h", "g/24h"]]
    assert data["ife"]["specs"]["serum"]["units"] == []


def test_a_unit_picked_from_the_list_is_saved_and_converted(staff_client, patient):
    lab_post(staff_client, patient, analyte="creatinine", value="1.2", unit="mg/dL")
    stored = record_model("lab").objects.get(patient=patient)
    assert (stored.unit_as_entered, stored.unit_canonical, round(stored.value_canonical)) == ("mg/dL", "umol/L", 106)


def test_a_unit_of_another_analyte_is_refused_naming_the_field_and_the_accepted_units(staff_client, patient):
    response = lab_post(staff_client, patient, analyte="creatinine", value="1.2", unit="g/L")
    assert_rerendered_with(response, "Unit", "unit 'g/L' is not accepted for Creatinine; allowed: µmol/L, mg/dL")
    assert not record_model("lab").objects.exists()
    assert '<option value="g/L" selected>' in unit_select(response)


def test_a_unit_on_no_list_is_refused_and_shown_as_it_was_sent(staff_client, patient):
    response = lab_post(staff_client, patient, analyte="calcium", value="2.4", unit="furlongs")
    assert "unit 'furlongs' is not accepted for Calcium; allowed: mmol/L, mg/dL" in page_text(response)
    assert '<option value="furlongs" selected>furlongs</option>' in unit_select(response)
    assert not record_model("lab").objects.exists()
