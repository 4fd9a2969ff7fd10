"""The pages around the charts: the timeline on the patient page, the printable summary and the
consultants' cohort. Who may open them, what they cost, and what never reaches a chart."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PatientFactory
from tests.record_kinds import record_model
from tests.views.conftest import build_timeline
from tracker import selectors
from tracker.presenters.timeline import timeline_context
from tracker.services.common import record_mark_entered_in_error
from tracker.services.flags import flags_refresh
from tracker.services.labs import lab_result_record
from tracker.services.records import treatment_record

START = datetime.date(2022, 1, 10)


def all_y(timeline: dict) -> list:
    return [y for p in timeline["panels"] if p["payload"] for t in p["payload"]["figure"]["data"] for y in t["y"]]


def figures_in(response) -> dict:
    """The figures embedded with json_script, by element id."""
    html = response.content.decode()
    found = re.findall(r'<script id="([\w-]+)" type="application/json">(.*?)</script>', html, re.S)
    return {key: json.loads(text) for key, text in found}


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_timeline_runs_no_queries_of_its_own(patient, staff_user, django_assert_num_queries):
    build_timeline(patient, staff_user, count=3, start=START)
    record = selectors.patient_record(patient)
    with django_assert_num_queries(0):
        timeline = timeline_context(patient, record)["timeline"]
    assert [p["id"] for p in timeline["panels"] if p["payload"]] == [
        "treatments",
        "vegf",
        "counts",
        "scores",
        "ncs",
        "symptoms",
    ]


def test_patient_page_costs_the_same_with_years_more_data(staff_client, staff_user, patient):
    url = reverse("patient_detail", args=[patient.pk])
    build_timeline(patient, staff_user, count=2, start=START)
    small = queries(staff_client, url)
    build_timeline(patient, staff_user, count=12, start=datetime.date(2019, 1, 10))
    assert queries(staff_client, url) == small


def test_entered_in_error_values_never_reach_a_chart(patient, staff_user):
    for day, value in ((START, "900"), (START + datetime.timedelta(days=60), "7777")):
        lab_result_record(patient=patient, actor=staff_user, evaluate=False, analyte="vegf", specimen="serum",
                          collected_on=day, value=value)  # fmt: skip
    wrong = record_model("lab").objects.get(value_canonical=Decimal("7777"))
    record_mark_entered_in_error(record=wrong, actor=staff_user, reason="Typed in the wrong box.")
    timeline = timeline_context(patient, selectors.patient_record(patient))["timeline"]
    assert 900.0 in all_y(timeline)
    assert 7777.0 not in all_y(timeline)
    assert "7,777" not in json.dumps(timeline)


def test_patient_page_embeds_each_figure_as_json_and_loads_plotly_from_the_server(staff_client, staff_user, patient):
    build_timeline(patient, staff_user, count=2, start=START)
    response = staff_client.get(reverse("patient_detail", args=[patient.pk]))
    figures = figures_in(response)
    assert {"chart-vegf-data", "chart-counts-data", "chart-ncs-data"} <= set(figures)
    assert figures["chart-vegf-data"]["figure"]["layout"]["yaxis"]["title"]["text"] == "pg/mL"
    html = response.content.decode()
    assert 'src="/static/plotly/plotly.min.js"' in html and 'src="/static/tracker/charts.js"' in html
    assert "No paraprotein or light chains recorded." in html
    # Every script and stylesheet comes from this server (the random CSRF token is not a URL).
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html)


def test_flagged_point_links_to_its_stored_flag(staff_client, staff_user, patient):
    treatment_record(patient=patient, actor=staff_user, evaluate=False, category="asct", regimen="HDM-ASCT",
                     start_date=datetime.date(2021, 1, 1), end_date=datetime.date(2021, 1, 3))  # fmt: skip
    for day, value in (("2020-12-20", 5000), ("2021-06-01", 600), ("2021-12-01", 1100)):
        lab_result_record(patient=patient, actor=staff_user, evaluate=False, analyte="vegf", specimen="serum",
                          collected_on=datetime.date.fromisoformat(day), value=str(value))  # fmt: skip
    flags_refresh(patient)
    flag = record_model("flag").objects.get(patient=patient, rule="R1")
    response = staff_client.get(reverse("patient_detail", args=[patient.pk]))
    serum = figures_in(response)["chart-vegf-data"]["figure"]["data"][0]
    assert serum["customdata"] == [None, None, reverse("flag_detail", args=[flag.pk])]


# --- the printable summary -------------------------------------------------------------------


def test_summary_shows_header_flags_response_and_compact_charts(consultant_client, staff_user, patient):
    build_timeline(patient, staff_user, count=2, start=START)
    response = consultant_client.get(reverse("patient_summary", args=[patient.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert patient.mrn in html and "Open flags" in html and "best response since" in html
    figures = figures_in(response)
    assert "summary-vegf-data" in figures and figures["summary-vegf-data"]["table"] is None
    assert "summary-treatments-data" not in figures  # on paper the treatments are a line of text
    assert "tracker/charts.css" in html  # its @media print rules lay the page out on one A4 sheet


@pytest.mark.parametrize("who", ["staff_client", "consultant_client"])
def test_staff_and_consultants_may_print_a_summary(request, who, patient):
    assert request.getfixturevalue(who).get(reverse("patient_summary", args=[patient.pk])).status_code == 200


def test_summary_of_another_clinics_patient_is_not_found(client, outsider_staff, patient):
    client.force_login(outsider_staff)
    assert client.get(reverse("patient_summary", args=[patient.pk])).status_code == 404


def test_summary_is_refused_to_patients_and_asks_anonymous_users_to_sign_in(client, patient, patient_user):
    url = reverse("patient_summary", args=[patient.pk])
    assert client.get(url).status_code == 302
    client.force_login(patient_user)
    assert client.get(url).status_code == 403


# --- the cohort ------------------------------------------------------------------------------


def _treated_patient(clinic, mrn, actor):
    person = PatientFactory(clinic=clinic, mrn=mrn)
    treatment_record(patient=person, actor=actor, evaluate=False, category="asct",
                     start_date=datetime.date(2021, 1, 1), end_date=datetime.date(2021, 1, 3))  # fmt: skip
    for day, value in (("2020-12-20", 5000), ("2021-06-01", 600)):
        lab_result_record(patient=person, actor=actor, evaluate=False, analyte="vegf", specimen="serum",
                          collected_on=datetime.date.fromisoformat(day), value=str(value))  # fmt: skip
    return person


def test_cohort_draws_every_visible_patient_and_no_other(consultant_client, clinic, other_clinic, staff_user):
    _treated_patient(clinic, "C-1", staff_user)
    _treated_patient(clinic, "C-2", staff_user)
    _treated_patient(other_clinic, "ELSEWHERE", staff_user)
    response = consultant_client.get(reverse("cohort"))
    assert response.status_code == 200
    figure = figures_in(response)["cohort-data"]
    names = {t["name"] for t in figure["data"] if t.get("x") != [None]}
    assert names == {"C-1", "C-2"}
    assert "ELSEWHERE" not in response.content.decode()


def test_cohort_is_for_consultants_only(client, staff_user, patient_user):
    assert client.get(reverse("cohort")).status_code == 302
    for refused in (staff_user, patient_user):
        client.force_login(refused)
        assert client.get(reverse("cohort")).status_code == 403


def test_cohort_costs_the_same_for_three_times_the_patients(consultant_client, clinic, staff_user):
    for i in range(2):
        _treated_patient(clinic, f"A-{i}", staff_user)
    small = queries(consultant_client, reverse("cohort"))
    for i in range(4):
        _treated_patient(clinic, f"B-{i}", staff_user)
    assert queries(consultant_client, reverse("cohort")) == small


def test_cohort_nav_link_is_shown_to_consultants_only(client, consultant_user, staff_user):
    client.force_login(consultant_user)
    assert 'href="/cohort/"' in client.get(reverse("worklist")).content.decode()
    client.force_login(staff_user)
    assert 'href="/cohort/"' not in client.get(reverse("worklist")).content.decode()
