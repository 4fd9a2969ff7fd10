"""One permission check: every view decorator asks `can(user, capability)` of the role table."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tracker.access import can
from tracker.roles import ACKNOWLEDGE, CAPABILITIES, COHORT, PORTAL, RECORD, ROLES


def test_every_role_has_a_row_in_the_capability_table():
    assert set(CAPABILITIES) == set(ROLES)


@pytest.mark.django_db
def test_capabilities_follow_the_role(staff_user, consultant_user, patient_user, outsider_staff):
    assert {c for c in (RECORD, ACKNOWLEDGE, COHORT, PORTAL) if can(staff_user, c)} == {RECORD}
    assert {c for c in (RECORD, ACKNOWLEDGE, COHORT, PORTAL) if can(consultant_user, c)} == {
        RECORD,
        ACKNOWLEDGE,
        COHORT,
    }
    assert {c for c in (RECORD, ACKNOWLEDGE, COHORT, PORTAL) if can(patient_user, c)} == {PORTAL}
    assert can(outsider_staff, RECORD)  # which patients they see is access.patients_visible_to's job


def test_anonymous_users_can_do_nothing():
    assert not any(can(AnonymousUser(), c) for c in (RECORD, ACKNOWLEDGE, COHORT, PORTAL))


@pytest.mark.django_db
def test_a_user_without_a_role_can_do_nothing(django_user_model):
    user = django_user_model.objects.create_user(username="norole", password="x-unused-9")
    assert not any(can(user, c) for c in (RECORD, ACKNOWLEDGE, COHORT, PORTAL))
