"""/me/report/: inputs named as the CSV columns, plain-language validation with the range, one
report per day, today's date only, and the flags a portal report raises (R6, R7)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.portal.portal_helpers import report_data
from tests.record_kinds import record_model
from tracker.forms.portal import PORTAL_ITEMS, SCALE_MESSAGE, WEIGHT_MESSAGE
from tracker.models import SYMPTOM_CODES
from tracker.services.records import symptom_report_record

URL = reverse("portal_report")
CSV_COLUMNS = (*SYMPTOM_CODES, "weight_kg", "other_symptoms")


def test_inputs_are_named_exactly_as_the_symptoms_csv_columns(patient_client):
    response = patient_client.get(URL)
    names = set(response.context["form"].fields)
    assert names == set(CSV_COLUMNS)
    html = response.content.decode()
    for name in CSV_COLUMNS:
        assert f'name="{name}"' in html
    assert 'name="reported_on"' not in html


def test_the_questions_follow_the_checklist_order(patient_client):
    assert tuple(item.code for item in PORTAL_ITEMS) == SYMPTOM_CODES


def test_each_scale_offers_eleven_large_radio_buttons_with_anchors(patient_client):
    html = patient_client.get(URL).content.decode()
    assert html.count('type="radio"') == 11 * len(SYMPTOM_CODES)
    assert html.count("0 = none") == len(SYMPTOM_CODES) and html.count("10 = worst") == len(SYMPTOM_CODES)


@pytest.mark.parametrize("code", SYMPTOM_CODES)
@pytest.mark.parametrize("bad", ["-1", "11", "", "three"])
def test_every_item_refuses_values_outside_0_to_10_in_plain_words(patient_client, patient, code, bad):
    response = patient_client.post(URL, report_data(**{code: bad}))
    assert response.status_code == 400
    assert response.context["form"].errors == {code: [SCALE_MESSAGE]}
    assert "Please choose a number from 0 (none) to 10 (worst)." in response.content.decode()
    assert not record_model("symptoms").objects.exists()


@pytest.mark.parametrize("code", SYMPTOM_CODES)
@pytest.mark.parametrize("good", ["0", "10"])
def test_every_item_accepts_its_bounds(patient_client, patient, code, good):
    response = patient_client.post(URL, report_data(**{code: good}))
    assert response.status_code == 302
    assert getattr(record_model("symptoms").objects.get(), code) == int(good)


@pytest.mark.parametrize("weight", ["19.9", "300.1", "-5", "0", "3000"])
def test_weight_outside_20_to_300_kg_is_refused_with_the_range(patient_client, patient, weight):
    response = patient_client.post(URL, report_data(weight_kg=weight))
    assert response.context["form"].errors == {"weight_kg": [WEIGHT_MESSAGE]}
    assert "Weight must be between 20 and 300 kg." in response.content.decode()
    assert not record_model("symptoms").objects.exists()


@pytest.mark.parametrize(("typed", "stored"), [("20", "20.0"), ("300", "300.0"), ("72,5", "72.5"), ("81.26", "81.3")])
def test_weight_accepts_the_bounds_a_decimal_comma_and_rounds_to_one_place(patient_client, patient, typed, stored):
    assert patient_client.post(URL, report_data(weight_kg=typed)).status_code == 302
    assert record_model("symptoms").objects.get().weight_kg == Decimal(stored)


@pytest.mark.parametrize("typed", ["seventy", "NaN", "Infinity", "7O"])
def test_weight_that_is_not_a_number_asks_for_kilograms(patient_client, patient, typed):
    response = patient_client.post(URL, report_data(weight_kg=typed))
    assert "Please write your weight as a number of kilograms" in response.content.decode()


def test_weight_and_free_text_are_optional(patient_client, patient):
    assert patient_client.post(URL, report_data(weight_kg="", other_symptoms="")).status_code == 302
    assert record_model("symptoms").objects.get().weight_kg is None


def test_errors_are_summarised_at_the_top_with_links_to_each_question(patient_client):
    response = patient_client.post(URL, report_data(swelling="12", weight_kg="500"))
    anchors = [e["anchor"] for e in response.context["errors"]]
    assert anchors == ["q-swelling", "q-weight_kg"]
    assert 'href="#q-swelling"' in response.content.decode()


def test_a_report_is_dated_today_whatever_the_form_says(patient_client, patient):
    patient_client.post(URL, {**report_data(), "reported_on": "2020-01-01"})
    report = record_model("symptoms").objects.get()
    assert report.reported_on == timezone.localdate()
    assert report.source == "patient"
    assert report.created_by.username == "ada"


def test_a_second_report_the_same_day_updates_the_first_and_keeps_history(patient_client, patient):
    patient_client.post(URL, report_data(swelling=2, other_symptoms="ankles puffy"))
    response = patient_client.post(URL, report_data(swelling=5, other_symptoms="worse tonight"))
    assert response.status_code == 302
    report = record_model("symptoms").objects.get()
    assert report.swelling == 5 and report.other_symptoms == "worse tonight"
    versions = list(report.history.order_by("history_date"))
    assert [v.swelling for v in versions] == [2, 5]
    assert versions[0].other_symptoms == "ankles puffy"


def test_the_form_is_prefilled_with_todays_report_when_changing_it(patient_client, patient):
    patient_client.post(URL, report_data(fatigue=7, weight_kg="68.4"))
    response = patient_client.get(URL)
    assert response.context["updating"] is True
    html = response.content.decode()
    assert 'name="fatigue" value="7"' in html and 'value="7"' in html
    assert "checked" in html and 'value="68.4"' in html
    assert "Change today&#x27;s report" in html or "Change today's report" in html


def test_a_report_entered_by_the_clinic_today_is_never_overwritten(patient_client, patient, staff_user):
    symptom_report_record(patient=patient, actor=staff_user, reported_on=timezone.localdate(), swelling=4)
    response = patient_client.post(URL, report_data(swelling=0))
    assert "Your clinic team has already recorded your symptoms today" in response.content.decode()
    report = record_model("symptoms").objects.get()
    assert report.swelling == 4 and report.source == "staff"


def test_a_thank_you_message_follows_a_report(patient_client, patient):
    response = patient_client.post(URL, report_data(), follow=True)
    assert "Thank you. Your report for" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("portal_home")


# --- flags -------------------------------------------------------------------------------------


def _previous(patient, actor, *, days_ago: int, **fields):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return symptom_report_record(patient=patient, actor=actor, reported_on=day, source="patient", **fields)


def test_a_portal_report_with_swelling_up_two_points_raises_r6(patient_client, patient, patient_user):
    _previous(patient, patient_user, days_ago=28, **dict.fromkeys(SYMPTOM_CODES, 1))
    patient_client.post(URL, report_data(swelling=3, weight_kg=""))
    flag = record_model("flag").objects.get(patient=patient, rule="R6")
    assert flag.severity == "amber" and flag.status == "open"
    assert flag.raised_on == timezone.localdate()
    report = record_model("symptoms").objects.get(reported_on=timezone.localdate())
    assert report.id in flag.evidence["symptom_ids"]
    assert [(i["item"], i["previous"], i["current"]) for i in flag.evidence["items"]] == [("swelling", 1, 3)]
    assert not record_model("flag").objects.filter(patient=patient, rule="R7").exists()


def test_a_rise_of_one_point_raises_nothing(patient_client, patient, patient_user):
    _previous(patient, patient_user, days_ago=28, **dict.fromkeys(SYMPTOM_CODES, 1))
    patient_client.post(URL, report_data(swelling=2, weight_kg=""))
    assert not record_model("flag").objects.filter(patient=patient, rule="R6").exists()


def test_a_portal_report_with_weight_up_five_percent_in_90_days_raises_r7(patient_client, patient, patient_user):
    _previous(patient, patient_user, days_ago=60, weight_kg=Decimal("70.0"), **dict.fromkeys(SYMPTOM_CODES, 1))
    patient_client.post(URL, report_data(weight_kg="73.5"))  # +5.0 %: the threshold itself counts
    flag = record_model("flag").objects.get(patient=patient, rule="R7")
    assert flag.severity == "amber"
    assert flag.evidence["weights_kg"] == ["70", "73.5"]
    assert "higher" in flag.explanation
    assert not record_model("flag").objects.filter(patient=patient, rule="R6").exists()


def test_weight_change_below_five_percent_raises_nothing(patient_client, patient, patient_user):
    _previous(patient, patient_user, days_ago=60, weight_kg=Decimal("70.0"), **dict.fromkeys(SYMPTOM_CODES, 1))
    patient_client.post(URL, report_data(weight_kg="73.4"))
    assert not record_model("flag").objects.filter(patient=patient, rule="R7").exists()


def test_updating_todays_report_re_evaluates_the_flags(patient_client, patient, patient_user):
    _previous(patient, patient_user, days_ago=28, **dict.fromkeys(SYMPTOM_CODES, 1))
    patient_client.post(URL, report_data(swelling=4, weight_kg=""))
    assert record_model("flag").objects.get(patient=patient, rule="R6").status == "open"
    patient_client.post(URL, report_data(swelling=1, weight_kg=""))
    assert not record_model("flag").objects.filter(patient=patient, rule="R6", status="open").exists()
