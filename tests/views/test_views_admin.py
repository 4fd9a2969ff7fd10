"""The admin manages clinics and shows the audit trails read-only; nothing there deletes."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tracker.models import AuthEvent


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "a-long-admin-password-1")
    client.force_login(admin)
    return client


def test_sign_in_events_are_listed_but_cannot_be_changed_or_deleted(admin_client):
    event = AuthEvent.objects.create(kind=AuthEvent.Kind.FAILED, username="someone")
    assert b"someone" in admin_client.get(reverse("admin:tracker_authevent_changelist")).content
    assert admin_client.get(reverse("admin:tracker_authevent_delete", args=[event.pk])).status_code == 403
    assert admin_client.get(reverse("admin:tracker_authevent_add")).status_code == 403
    assert AuthEvent.objects.filter(pk=event.pk).exists()


def test_clinics_can_be_added_but_not_deleted(admin_client, clinic):
    assert admin_client.get(reverse("admin:tracker_clinic_add")).status_code == 200
    assert admin_client.get(reverse("admin:tracker_clinic_delete", args=[clinic.pk])).status_code == 403


def test_clinical_records_are_not_in_the_admin(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "Lab results" not in html and "Patients" not in html
