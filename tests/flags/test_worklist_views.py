"""The worklist and flag pages: access, order, filters, acknowledgement, query counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PatientFactory
from tests.flags.conftest import add_vegf
from tests.record_kinds import record_model
from tracker.models import FlagStatus
from tracker.services.records import imaging_record, treatment_record, visit_record

D = datetime.date


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("worklist"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_patient_account_may_not_open_the_worklist_or_a_flag(client, patient_user, tv08):
    client.force_login(patient_user)
    assert client.get(reverse("worklist")).status_code == 403
    flag = record_model("flag").objects.get(rule="R1")
    assert client.get(reverse("flag_detail", args=[flag.pk])).status_code == 403


def test_staff_of_another_clinic_gets_404_for_a_flag(client, outsider_staff, tv08):
    client.force_login(outsider_staff)
    flag = record_model("flag").objects.get(rule="R1")
    assert client.get(reverse("flag_detail", args=[flag.pk])).status_code == 404
    assert tv08.patient.mrn not in client.get(reverse("worklist")).content.decode()


def _red_patient(clinic, actor, mrn):
    patient = PatientFactory(clinic=clinic, mrn=mrn)
    imaging_record(patient=patient, actor=actor, study_date=D(2025, 5, 1), modality="pet_ct", response_category="PD")
    return patient


def test_worklist_lists_red_before_amber_with_explanation_and_last_vegf(staff_client, staff_user, clinic, tv08):
    red = _red_patient(clinic, staff_user, "RED1")
    html = staff_client.get(reverse("worklist")).content.decode()
    assert html.index("RED1") < html.index(tv08.patient.mrn)
    assert "Radiological progression" in html
    assert "1,200 pg/mL" in html  # last VEGF with its date and specimen
    assert "serum, 2024-10-14" in html
    assert red.mrn in staff_client.get(reverse("worklist") + "?severity=red").content.decode()
    assert tv08.patient.mrn not in staff_client.get(reverse("worklist") + "?severity=red").content.decode()


def test_overdue_patient_without_flags_is_listed_after_flagged_ones(staff_client, staff_user, clinic, tv08):
    quiet = PatientFactory(clinic=clinic, mrn="LATE1")
    treatment_record(
        patient=quiet, actor=staff_user, category="radiotherapy", start_date=D(2020, 1, 1), end_date=D(2020, 2, 10)
    )
    visit_record(patient=quiet, actor=staff_user, visit_date=D(2021, 1, 5), onls_arm=1, onls_leg=2)
    html = staff_client.get(reverse("worklist")).content.decode()
    assert "LATE1" in html and html.index(tv08.patient.mrn) < html.index("LATE1")
    assert "Follow-up overdue" in html


def test_clinic_filter_limits_rows(staff_client, staff_user, clinic, other_clinic, tv08):
    staff_user.clinics.add(other_clinic)
    _red_patient(other_clinic, staff_user, "SOUTH1")
    html = staff_client.get(reverse("worklist") + f"?clinic={clinic.code}").content.decode()
    assert tv08.patient.mrn in html and "SOUTH1" not in html


def test_consultant_acknowledges_from_the_worklist_with_a_note(consultant_client, consultant_user, tv08):
    flag = record_model("flag").objects.get(rule="R1")
    url = reverse("flag_acknowledge", args=[flag.pk])
    response = consultant_client.post(url, {"note": "Repeat after infection", "next": "/worklist/"})
    assert response.status_code == 302 and response["Location"] == "/worklist/"
    flag.refresh_from_db()
    assert flag.status == FlagStatus.ACKNOWLEDGED and flag.acknowledgement_note == "Repeat after infection"
    assert flag.history.filter(history_user=consultant_user, status="acknowledged").exists()


def test_acknowledging_needs_a_note(consultant_client, tv08):
    flag = record_model("flag").objects.get(rule="R1")
    response = consultant_client.post(reverse("flag_acknowledge", args=[flag.pk]), {"note": " "})
    assert response.status_code == 200
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_staff_can_read_a_flag_but_not_acknowledge_it(staff_client, tv08):
    flag = record_model("flag").objects.get(rule="R1")
    page = staff_client.get(reverse("flag_detail", args=[flag.pk]))
    assert page.status_code == 200 and b"Acknowledge</button>" not in page.content
    assert b"1,200 pg/mL" in page.content
    response = staff_client.post(reverse("flag_acknowledge", args=[flag.pk]), {"note": "I am staff"})
    assert response.status_code == 403
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_flag_page_links_the_records_it_used(staff_client, tv08):
    flag = record_model("flag").objects.get(rule="R1")
    html = staff_client.get(reverse("flag_detail", args=[flag.pk])).content.decode()
    assert f"#lab-{tv08.pk}" in html


def _make_flagged_patients(clinic, actor, count):
    for i in range(count):
        patient = PatientFactory(clinic=clinic, mrn=f"W{i:04d}")
        treatment_record(
            patient=patient,
            actor=actor,
            category="asct",
            start_date=D(2024, 1, 1),
            end_date=D(2024, 1, 3),
            evaluate=False,
        )
        for day, value in ((D(2023, 12, 1), "3000"), (D(2024, 6, 1), "600"), (D(2024, 9, 1), "1200")):
            add_vegf(patient, actor, day, value, evaluate=(day.month == 9))
        visit_record(
            patient=patient, actor=actor, visit_date=D(2024, 9, 1), onls_arm=1, onls_leg=1, weight_kg=Decimal(70)
        )


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("path", ["worklist"])
def test_worklist_query_count_is_the_same_for_10_and_200_patients(staff_client, staff_user, clinic, path):
    _make_flagged_patients(clinic, staff_user, 10)
    small = _count_queries(staff_client, reverse(path))
    _make_flagged_patients_offset(clinic, staff_user, 190)
    large = _count_queries(staff_client, reverse(path))
    assert record_model("flag").objects.filter(status="open").values("patient").distinct().count() == 200
    assert small == large
    assert small <= 8


def _make_flagged_patients_offset(clinic, actor, count):
    for i in range(count):
        patient = PatientFactory(clinic=clinic, mrn=f"X{i:04d}")
        add_vegf(patient, actor, D(2024, 6, 1), "600", evaluate=False)
        treatment_record(
            patient=patient,
            actor=actor,
            category="asct",
            start_date=D(2024, 1, 1),
            end_date=D(2024, 1, 3),
            evaluate=False,
        )
        add_vegf(patient, actor, D(2023, 12, 1), "3000", evaluate=False)
        add_vegf(patient, actor, D(2024, 9, 1), "1200")


def test_patient_page_query_count_is_the_same_with_10_and_200_patients(staff_client, staff_user, clinic, tv08):
    url = reverse("patient_detail", args=[tv08.patient.pk])
    _make_flagged_patients(clinic, staff_user, 10)
    small = _count_queries(staff_client, url)
    _make_flagged_patients_offset(clinic, staff_user, 190)
    large = _count_queries(staff_client, url)
    assert small == large


def test_follow_up_counts_from_the_latest_anchor_not_an_older_visit(staff_client, staff_user, clinic):
    import django.utils.timezone as tz

    today = tz.localdate()
    fresh = PatientFactory(clinic=clinic, mrn="FRESH1")
    visit_record(patient=fresh, actor=staff_user, visit_date=D(2020, 1, 1), onls_arm=1, onls_leg=1)
    recent_end = today - __import__("datetime").timedelta(days=30)
    treatment_record(patient=fresh, actor=staff_user, category="asct", start_date=recent_end, end_date=recent_end)
    on_treatment = PatientFactory(clinic=clinic, mrn="ONTX1")
    visit_record(patient=on_treatment, actor=staff_user, visit_date=D(2020, 1, 1), onls_arm=1, onls_leg=1)
    html = staff_client.get(reverse("worklist")).content.decode()
    assert "FRESH1" not in html  # the ASCT a month ago restarted the schedule: nothing overdue
    assert "ONTX1" not in html  # no anchor yet: on treatment, checks follow the cycles
