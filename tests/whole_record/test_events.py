"""Clinical events end to end: bad input refused with field, range and unit; the form page;
CSV import; the patient page's events, outcome times and timeline markers."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import ClinicalEventFactory, TreatmentFactory
from tests.record_kinds import record_model
from tracker.services.whole_record import event_record

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 4)


def test_an_event_ending_before_it_starts_is_refused(patient, staff_user, record_counts):
    before = record_counts()
    with pytest.raises(ValidationError) as refused:
        event_record(
            patient=patient, actor=staff_user, event="dvt", onset_date=DAY, resolved_on=datetime.date(2025, 3, 1)
        )
    assert refused.value.message_dict["resolved_on"] == [
        "Resolved on (2025-03-01) must be on or after the onset date (2025-03-04)."
    ]
    assert record_counts() == before


@pytest.mark.parametrize("grade", [0, 6])
def test_a_grade_outside_1_to_5_is_refused(patient, staff_user, record_counts, grade):
    before = record_counts()
    with pytest.raises(ValidationError) as refused:
        event_record(patient=patient, actor=staff_user, event="infection", onset_date=DAY, grade=grade)
    assert refused.value.message_dict["grade"] == ["CTCAE grade must be between 1 and 5 (CTCAE v5)."]
    assert record_counts() == before


def test_the_form_saves_and_the_page_shows_event_outcome_and_marker(staff_client, staff_user, patient):
    TreatmentFactory(
        patient=patient,
        actor=staff_user,
        category="radiotherapy",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2022, 1, 10),
    )
    url = reverse("record_create", kwargs={"pk": patient.pk, "kind": "event"})
    assert "Add a clinical event" in staff_client.get(url).content.decode()
    response = staff_client.post(url, {"event": "relapse", "onset_date": "2023-01-10", "notes": "New lytic lesion."})
    assert response.status_code == 302
    event = record_model("event").objects.get(patient=patient)
    response = staff_client.get(reverse("patient_detail", args=[patient.pk]))
    detail = response.content.decode()
    assert f'id="event-{event.pk}"' in detail and "Relapse (clinician-confirmed)" in detail
    assert "2023-01-10 (365 days)" in detail  # from T0 2022-01-10
    strip = next(p for p in response.context["timeline"]["panels"] if p["id"] == "treatments")
    events = next(t for t in strip["payload"]["figure"]["data"] if t["name"] == "Events")
    assert events["x"] == ["2023-01-10"] and events["text"] == ["Relapse"]


def test_the_form_refuses_grade_6_and_saves_nothing(staff_client, patient):
    url = reverse("record_create", kwargs={"pk": patient.pk, "kind": "event"})
    page = staff_client.post(url, {"event": "infection", "onset_date": "2025-03-04", "grade": "6"})
    assert page.status_code == 200
    assert "CTCAE grade must be between 1 and 5 (CTCAE v5)." in page.content.decode()
    assert not record_model("event").objects.exists()


def test_entered_in_error_keeps_history_and_leaves_outcomes(staff_client, staff_user, patient):
    event = ClinicalEventFactory(patient=patient, actor=staff_user, event="death", onset_date=DAY, cause="sepsis")
    staff_client.post(reverse("record_error", kwargs={"kind": "event", "record_pk": event.pk}), {"reason": "wrong"})
    event.refresh_from_db()
    assert event.is_entered_in_error and event.history.count() == 2


def test_csv_import_refuses_bad_rows_and_is_idempotent(run_import, registered):
    header = "mrn,event,onset_date,grade,resolved_on,ctcae_term,treatment_related,cause,notes\n"
    bad = run_import(
        "events",
        header + "IMP-001,dvt,2024-02-01,2,2024-01-20,Thromboembolic event,false,,\n"
        "IMP-001,infection,2024-03-01,7,,Lung infection,true,,\n",
    )
    assert not bad.ok
    assert "row 1, column resolved_on: Resolved on (2024-01-20) must be on or after the onset date (2024-02-01)." in (
        bad.err
    )
    assert "row 2, column grade: CTCAE grade must be between 1 and 5 (CTCAE v5)." in bad.err
    assert not record_model("event").objects.exists()
    good = header + "IMP-001,pe,2024-02-01,3,2024-03-01,Thromboembolic event,false,,\n"
    first = run_import("events", good)
    assert first.ok, first.err
    assert "1 created" in first.out
    second = run_import("events", good)
    assert second.ok and "0 created, 1 unchanged" in second.out


def test_cohort_page_shows_survival_curves_and_numbers_at_risk(consultant_client, consultant_user, patient):
    TreatmentFactory(
        patient=patient,
        actor=consultant_user,
        category="radiotherapy",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2022, 1, 10),
    )
    ClinicalEventFactory(
        patient=patient, actor=consultant_user, event="progression", onset_date=datetime.date(2023, 1, 10)
    )
    response = consultant_client.get(reverse("cohort"))
    assert response.status_code == 200
    survival = response.context["survival"]
    assert (survival["n"], survival["pfs_events"], survival["os_events"]) == (1, 1, 0)
    assert survival["at_risk"]["pfs"][:2] == [1, 0]
    page = response.content.decode()
    assert 'id="at-risk"' in page and "Progression-free survival" in page
