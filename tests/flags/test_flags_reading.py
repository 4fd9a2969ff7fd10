"""A flag as a consultant reads it: evidence with units and formatted numbers, thresholds by plain
name beside their setting name, an AMBER shown under the RED that confirms it and acknowledged with
it, and a worklist that lands on the next row after an acknowledgement."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import PatientFactory
from tests.flags.conftest import add_vegf
from tests.record_kinds import record_model
from tracker.models import FlagStatus, WorklistEntry
from tracker.presenters.evidence import plain_value, unit_of
from tracker.rules.params import PLAIN_NAMES, RuleParams
from tracker.services.flags import flag_acknowledge
from tracker.services.records import treatment_record

D = datetime.date


def relapse(patient, actor):
    """Nadir 600 pg/mL after an ASCT, then 1,100 (R1 AMBER) and 1,300 (R1c RED, confirming it)."""
    treatment_record(patient=patient, actor=actor, category="asct", start_date=D(2021, 1, 1), end_date=D(2021, 2, 1))
    for day, value in ((D(2020, 12, 15), "5000"), (D(2021, 6, 1), "600"), (D(2021, 12, 1), "1100")):
        add_vegf(patient, actor, day, value)
    add_vegf(patient, actor, D(2022, 6, 1), "1300")
    flags = record_model("flag").objects.filter(patient=patient)
    return flags.get(rule="R1c"), flags.get(rule="R1")


@pytest.fixture
def red_amber(patient, staff_user):
    return relapse(patient, staff_user)


@pytest.mark.parametrize(
    ("key", "value", "unit", "shown"),
    [
        ("value", "1300", "pg/mL", "1,300 pg/mL"),
        ("rise_pct", "116.6666666666666666666666667", "", "116.67%"),
        ("threshold_value", "900.0", "pg/mL", "900 pg/mL"),
        ("values", ["1100", "1300"], "pg/mL", "1,100 pg/mL, 1,300 pg/mL"),
        ("value", "450", "10^9/L", "450 ×10⁹/L"),
        ("window_days", 180, "", "180 days"),
        ("weights_kg", ["70.5", "64"], "", "70.5 kg, 64 kg"),
        ("threshold_points", 2, "", "2 points"),
        ("nadir_on", "2021-06-01", "pg/mL", "2021-06-01"),
        ("consecutive_results", 2, "", "2"),
    ],
)
def test_evidence_values_carry_their_unit_and_read_as_numbers(key, value, unit, shown):
    assert plain_value(value, unit_of(key, unit)) == shown


def test_nested_evidence_uses_its_own_unit():
    finding = {"kind": "motor", "nerve": "peroneal", "value": "2.5", "best_value": "4.25", "unit": "mV", "ncs_id": 3}
    assert plain_value(finding) == "Kind motor; Nerve peroneal; Value 2.5 mV; Best value 4.25 mV"


def test_every_threshold_has_a_plain_name_and_unit():
    assert {RuleParams.setting_name(name) for name in PLAIN_NAMES} == set(RuleParams().as_dict())
    assert all(" " in name and "_" not in name for name, _unit in PLAIN_NAMES.values())  # words, not a key


def test_the_flag_page_shows_evidence_with_units_and_thresholds_by_name(staff_client, red_amber):
    red, _amber = red_amber
    html = staff_client.get(reverse("flag_detail", args=[red.pk])).content.decode()
    assert "<td>1,300 pg/mL</td>" in html
    assert "<td>116.67%</td>" in html
    assert "<td>1,000 pg/mL</td>" in html  # the upper limit
    assert "Upper limit of normal for serum VEGF <code" in html and "CFG_VEGF_ULN_SERUM</code>" in html
    assert ">1,000 pg/mL</td>" in html and ">50%</td>" in html
    assert "116.6666" not in html


def test_the_red_and_the_amber_page_name_each_other(staff_client, red_amber):
    red, amber = red_amber
    red_page = staff_client.get(reverse("flag_detail", args=[red.pk])).content.decode()
    assert f'Confirms <a href="/flags/{amber.pk}/">AMBER R1</a> of 2021-12-01 (open); acknowledging' in red_page
    amber_page = staff_client.get(reverse("flag_detail", args=[amber.pk])).content.decode()
    assert f'Confirmed by <a href="/flags/{red.pk}/">RED R1c</a> of 2022-06-01' in amber_page


def test_the_worklist_shows_the_amber_under_its_red(staff_client, red_amber):
    red, amber = red_amber
    response = staff_client.get(reverse("worklist"))
    (row,) = response.context["rows"]
    assert [f.pk for f in row.flags] == [red.pk]
    assert [c.pk for c in row.flags[0].confirmed] == [amber.pk]
    assert row.more_flags == 0
    html = response.content.decode()
    assert html.index("RED R1c") < html.index("AMBER R1</strong>") and "confirmed by the RED R1c above" in html


def test_acknowledging_the_red_acknowledges_the_amber_it_confirms(red_amber, consultant_user):
    red, amber = red_amber
    entry = WorklistEntry.objects.get(patient=red.patient)
    assert entry.unacknowledged == 2
    flag_acknowledge(flag=red, actor=consultant_user, note="Restaging booked")
    for flag in (red, amber):
        flag.refresh_from_db()
        assert (flag.status, flag.acknowledged_by, flag.acknowledgement_note) == (
            FlagStatus.ACKNOWLEDGED,
            consultant_user,
            "Restaging booked",
        )
        assert flag.history.filter(history_user=consultant_user, status="acknowledged").exists()
    entry.refresh_from_db()
    assert entry.unacknowledged == 0


def test_acknowledging_the_amber_alone_leaves_the_red_open(red_amber, consultant_user):
    red, amber = red_amber
    flag_acknowledge(flag=amber, actor=consultant_user, note="Seen")
    red.refresh_from_db()
    assert red.status == FlagStatus.OPEN
    assert WorklistEntry.objects.get(patient=red.patient).unacknowledged == 1


def test_after_acknowledging_from_the_worklist_the_page_lands_on_the_next_row(
    consultant_client, red_amber, clinic, staff_user
):
    red, _amber = red_amber
    second = PatientFactory(clinic=clinic, mrn="P900", given_name="Zed", family_name="Zulu")
    relapse(second, staff_user)
    html = consultant_client.get(reverse("worklist")).content.decode()
    rows = consultant_client.get(reverse("worklist")).context["rows"]
    first, last = rows
    assert f'id="wl-{first.patient.pk}" tabindex="-1" data-worklist-row' in html
    assert f'name="next" value="/worklist/#wl-{last.patient.pk}"' in html
    assert f'name="next" value="/worklist/#wl-{last.patient.pk}"' in html.split(f'id="wl-{last.patient.pk}"')[1]
    flag = first.flags[0]
    response = consultant_client.post(
        reverse("flag_acknowledge", args=[flag.pk]), {"note": "Seen", "next": f"/worklist/#wl-{last.patient.pk}"}
    )
    assert response["Location"] == f"/worklist/#wl-{last.patient.pk}"
    assert '<script src="/static/tracker/worklist.js"></script>' in html
