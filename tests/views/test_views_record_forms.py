"""Posting treatment, visit, imaging, symptom, nerve conduction and engraftment forms."""

import html
import re

import pytest
from django.urls import reverse

from tests.record_kinds import record_model

MODELS = {
    "treatment": record_model("treatment"),
    "visit": record_model("visit"),
    "imaging": record_model("imaging"),
    "symptoms": record_model("symptoms"),
}

GOOD = {
    "treatment": {"category": "radiotherapy", "start_date": "2025-01-06", "end_date": "2025-02-10", "total_dose_gy": "45", "fractions": "25"},
    "visit": {"visit_date": "2025-02-03", "onls_arm": "1", "onls_leg": "3", "weight_kg": "71.5"},
    "imaging": {"study_date": "2025-02-03", "modality": "pet_ct", "response_category": "PR"},
    "symptoms": {"reported_on": "2025-02-03", "pain": "4", "swelling": "2"},
}  # fmt: skip
BAD = {
    "treatment": ({"end_date": "2024-12-01"}, "End date cannot be before the start date."),
    "visit": ({"onls_leg": "8"}, "ONLS leg must be between 0 and 7 points."),
    "imaging": ({"modality": "ultrasound"}, "Select a valid choice. ultrasound is not one of the available choices."),
    "symptoms": ({"pain": "11"}, "Nerve pain (burning, shooting) must be between 0 and 10 (0 = none, 10 = worst)."),
}
ANCHOR = {"treatment": "treatments", "visit": "visits", "imaging": "imaging", "symptoms": "symptoms"}


def page_text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


@pytest.mark.parametrize("kind", GOOD)
def test_good_record_is_saved_by_the_actor_and_redirects_to_its_section(staff_client, staff_user, patient, kind):
    response = staff_client.post(reverse("record_create", args=[patient.pk, kind]), GOOD[kind])
    assert response.url == reverse("patient_detail", args=[patient.pk]) + f"#{ANCHOR[kind]}"
    record = MODELS[kind].objects.get(patient=patient)
    assert record.created_by == staff_user
    assert record.history.get().history_user == staff_user


@pytest.mark.parametrize("kind", BAD)
def test_bad_record_re_renders_with_the_message_and_saves_nothing(staff_client, patient, kind):
    changes, message = BAD[kind]
    response = staff_client.post(reverse("record_create", args=[patient.pk, kind]), {**GOOD[kind], **changes})
    assert response.status_code == 200
    assert message in page_text(response)
    assert not MODELS[kind].objects.exists()


def test_visit_records_the_signed_in_clinician(consultant_client, consultant_user, patient):
    consultant_client.post(reverse("record_create", args=[patient.pk, "visit"]), GOOD["visit"])
    assert record_model("visit").objects.get().clinician == consultant_user


def test_staff_entered_symptom_report_is_marked_as_staff_entered(staff_client, patient):
    staff_client.post(reverse("record_create", args=[patient.pk, "symptoms"]), GOOD["symptoms"])
    assert record_model("symptoms").objects.get().source == "staff"


def test_second_visit_on_the_same_day_is_refused_on_the_page(staff_client, patient):
    url = reverse("record_create", args=[patient.pk, "visit"])
    staff_client.post(url, GOOD["visit"])
    response = staff_client.post(url, GOOD["visit"])
    assert response.status_code == 200
    assert 'class="alert alert-danger"' in response.content.decode()
    assert record_model("visit").objects.count() == 1


@pytest.mark.parametrize("kind", GOOD)
def test_editing_a_record_saves_a_new_version_by_the_editor(client, records, consultant_user, kind):
    client.force_login(consultant_user)
    record = records[kind]
    response = client.post(reverse("record_edit", args=[kind, record.pk]), GOOD[kind])
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.updated_by == consultant_user
    latest = record.history.latest()
    assert (latest.history_type, latest.history_user) == ("~", consultant_user)
    assert record.history.count() == 2


@pytest.mark.parametrize("kind", BAD)
def test_bad_edit_shows_the_message_and_keeps_the_stored_record(staff_client, records, kind):
    record = records[kind]
    changes, message = BAD[kind]
    response = staff_client.post(reverse("record_edit", args=[kind, record.pk]), {**GOOD[kind], **changes})
    assert response.status_code == 200
    assert message in page_text(response)
    assert record.history.count() == 1


def test_edit_page_of_a_record_entered_in_error_sends_staff_back(staff_client, records):
    visit = records["visit"]
    staff_client.post(reverse("record_error", args=["visit", visit.pk]), {"reason": "Wrong day."})
    response = staff_client.post(reverse("record_edit", args=["visit", visit.pk]), GOOD["visit"])
    assert response.url.endswith("#visits")
    visit.refresh_from_db()
    assert (visit.onls_leg, visit.history.count()) == (2, 2)


def ncs_post(client, patient, rows, **study):
    data = {
        "study_date": "2025-02-03",
        "lab": "Neuro lab",
        "row-TOTAL_FORMS": str(max(len(rows), 1)),
        "row-INITIAL_FORMS": "0",
        "row-MIN_NUM_FORMS": "0",
        "row-MAX_NUM_FORMS": "40",
        **study,
    }
    for i, row in enumerate(rows):
        data.update({f"row-{i}-{name}": value for name, value in row.items()})
    return client.post(reverse("ncs_create", args=[patient.pk]), data)


PERONEAL = {"kind": "motor", "nerve": "peroneal", "side": "right", "site": "ankle", "cmap_amp_mv": "2.1", "cv_ms": "34"}
SURAL = {"kind": "sensory", "nerve": "sural", "side": "right", "snap_amp_uv": "5"}


def test_nerve_study_with_its_rows_is_saved(staff_client, patient):
    response = ncs_post(staff_client, patient, [PERONEAL, SURAL], temperature_c="32.5")
    assert response.url.endswith("#ncs")
    study = record_model("ncs").objects.get(patient=patient)
    assert study.results.count() == 2


@pytest.mark.parametrize(
    ("rows", "study", "message"),
    [
        ([PERONEAL, {**SURAL, "snap_amp_uv": "250"}], {}, "Row 2: SNAP amplitude must be between 0.0 and 200.0 µV."),
        ([{**PERONEAL, "cmap_amp_mv": "31"}], {}, "Row 1: CMAP amplitude must be between 0.0 and 30.0 mV."),
        ([{**PERONEAL, "nerve": "sural"}], {}, "Motor studies take median, ulnar, peroneal, tibial."),
        ([{"kind": "motor", "cmap_amp_mv": "3"}], {}, "Each row needs kind, nerve and side."),
        ([PERONEAL], {"temperature_c": "45"}, "Limb temperature must be between 20.0 and 40.0 °C."),
        ([], {}, "Enter at least one nerve row."),
    ],
)
def test_bad_nerve_study_shows_the_message_and_saves_nothing(staff_client, patient, rows, study, message):
    response = ncs_post(staff_client, patient, rows, **study)
    assert response.status_code == 200
    assert message in page_text(response)
    assert not record_model("ncs").objects.exists()


def test_engraftment_form_saves_and_the_patient_page_shows_spitzer_definite(staff_client, records):
    asct = records["asct"]
    data = {"present": "on", "onset_date": "2024-06-15", "features": ["fever", "rash", "weight_gain"]}
    response = staff_client.post(reverse("engraftment_edit", args=[asct.pk]), data)
    assert response.url.endswith("#treatments")
    assert record_model("engraftment").objects.get(treatment=asct).spitzer_definite is True
    assert "engraftment syndrome: present, Spitzer definite" in page_text(staff_client.get(response.url))


def test_engraftment_form_refuses_an_unknown_feature(staff_client, records):
    asct = records["asct"]
    response = staff_client.post(reverse("engraftment_edit", args=[asct.pk]), {"features": ["hiccups"]})
    assert response.status_code == 200
    assert "Select a valid choice. hiccups is not one of the available choices." in page_text(response)
    assert record_model("engraftment").objects.get(treatment=asct).features == ["fever"]
