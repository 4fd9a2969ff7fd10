"""Changing a follow-up plan: consultants only, bad input refused with nothing saved, history kept."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import UserFactory
from tests.schedule.test_due_command import run_due
from tracker.models.schedule import PlanItem
from tracker.roles import CONSULTANT
from tracker.services.schedule import plan_item_set


def test_consultant_changes_an_interval_and_history_keeps_who(followed, consultant_user):
    plan = plan_item_set(
        actor=consultant_user, patient=followed, item="vegf", enabled=True, interval_months=4, reason="stable"
    )
    plan_item_set(actor=consultant_user, patient=followed, item="vegf", enabled=True, interval_months=5, reason="")
    assert PlanItem.objects.count() == 1
    versions = list(plan.history.order_by("history_date"))
    assert [v.interval_months for v in versions] == [4, 5]
    assert {v.history_user for v in versions} == {consultant_user}


def test_patient_plan_moves_the_due_date(followed, consultant_user):
    # An interval set for surveillance applies from the next item done in surveillance.
    plan_item_set(actor=consultant_user, patient=followed, item="ncs", enabled=True, interval_months=6, reason="")
    ncs = next(
        e for e in json.loads(run_due("--as-of", "2025-01-15", "--within", "400"))["items"] if e["item"] == "ncs"
    )
    assert (ncs["due_on"], ncs["interval_months"]) == ("2024-12-30", 6)


def test_switched_off_item_leaves_the_due_list(followed, consultant_user):
    plan_item_set(actor=consultant_user, patient=followed, item="fbc", enabled=False, interval_months=None,
                  reason="done by the GP")  # fmt: skip
    assert "fbc" not in {e["item"] for e in json.loads(run_due("--as-of", "2025-01-15"))["items"]}


def test_clinic_defaults_apply_unless_the_patient_plan_says_otherwise(followed, clinic, consultant_user):
    plan_item_set(actor=consultant_user, clinic=clinic, item="endocrine", enabled=False, interval_months=None,
                  reason="endocrine follow-up elsewhere")  # fmt: skip
    assert "endocrine" not in {e["item"] for e in json.loads(run_due("--as-of", "2025-01-15"))["items"]}
    plan_item_set(actor=consultant_user, patient=followed, item="endocrine", enabled=True, interval_months=None,
                  reason="")  # fmt: skip
    assert "endocrine" in {e["item"] for e in json.loads(run_due("--as-of", "2025-01-15"))["items"]}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"interval_months": 0}, "interval_months", "between 1 and 60 months"),
        ({"interval_months": 61}, "interval_months", "between 1 and 60 months"),
        ({"enabled": False, "reason": "  "}, "reason", "Give a reason"),
        ({"item": "xray"}, "item", "Unknown item"),
        ({"item": "self_report", "interval_months": 1}, "interval_months", "in days"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(followed, consultant_user, changes, field, message):
    values = {"item": "vegf", "enabled": True, "interval_months": None, "reason": "", **changes}
    with pytest.raises(ValidationError) as exc:
        plan_item_set(actor=consultant_user, patient=followed, **values)
    assert message in " ".join(exc.value.message_dict[field])
    assert not PlanItem.objects.exists()


def test_staff_and_consultants_of_another_clinic_cannot_change_a_plan(followed, staff_user, other_clinic):
    stranger = UserFactory(username="far-doctor", role=CONSULTANT, clinics=[other_clinic])
    for actor in (staff_user, stranger):
        with pytest.raises(PermissionDenied, match="Only a consultant"):
            plan_item_set(actor=actor, patient=followed, item="vegf", enabled=True, interval_months=4, reason="")
    assert not PlanItem.objects.exists()


def test_a_bad_schedule_override_stops_the_server(settings):
    from tracker.checks import schedule_overrides_check

    settings.POEMS_SCHEDULE_OVERRIDES = {"CFG_SCHED_NCS_INTERVAL_M": 0}
    [error] = schedule_overrides_check(None)
    assert error.id == "tracker.E011" and "1 to 60" in error.msg
    settings.POEMS_SCHEDULE_OVERRIDES = {"CFG_SCHED_NCS_INTERVAL_M": 6}
    assert schedule_overrides_check(None) == []
