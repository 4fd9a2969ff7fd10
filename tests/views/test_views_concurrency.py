"""No lost update and no server error when people save at the same moment.

Ten real threads, each with its own database connection (a file database on SQLite, the
server on PostgreSQL), submit at once: an edit form, a portal invitation, a flag
acknowledgement. Every answer is a page or a redirect, never a 500; nothing is duplicated.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.record_kinds import record_model
from tests.views.test_views_record_forms import GOOD, page_text
from tracker.models import FlagStatus, Patient

THREADS = 10


def _simultaneously(user, requests) -> list[int]:
    """Run each (method, url, data) in its own thread, all released together; status codes."""
    barrier = threading.Barrier(len(requests))
    codes: list[int] = []

    def work(method, url, data):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        try:
            barrier.wait()
            response = getattr(client, method)(url, data)
            codes.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


def test_a_stale_edit_form_is_refused_showing_both_values(client, records, staff_user, consultant_user):
    visit = records["visit"]
    url = reverse("record_edit", args=["visit", visit.pk])
    client.force_login(staff_user)
    shown = client.get(url).context["form"]["version"].value()
    other = Client()
    other.force_login(consultant_user)
    assert other.post(url, {**GOOD["visit"], "version": shown, "onls_leg": "5"}).status_code == 302
    response = client.post(url, {**GOOD["visit"], "version": shown, "onls_leg": "2"})
    assert response.status_code == 200
    text = page_text(response)
    assert "doctor saved this record after you opened it" in text
    assert "ONLS leg: saved 5, yours 2" in text
    visit.refresh_from_db()
    assert visit.onls_leg == 5 and visit.version == shown + 1
    # Having read the message, saving again keeps the values on the page.
    assert client.post(url, response.context["form"].data).status_code == 302
    visit.refresh_from_db()
    assert visit.onls_leg == 2


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_edits_one_wins_the_rest_are_told(records, staff_user):
    visit = records["visit"]
    url = reverse("record_edit", args=["visit", visit.pk])
    requests = [("post", url, {**GOOD["visit"], "version": visit.version, "onls_leg": str(i % 8)}) for i in range(10)]
    codes = _simultaneously(staff_user, requests)
    assert 500 not in codes
    assert sorted(codes) == [200] * (THREADS - 1) + [302]
    visit.refresh_from_db()
    assert visit.version == 2
    assert visit.history.count() == 2


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_new_records_make_one_and_no_server_error(patient, staff_user):
    url = reverse("record_create", args=[patient.pk, "visit"])
    codes = _simultaneously(staff_user, [("post", url, GOOD["visit"])] * THREADS)
    assert 500 not in codes
    assert codes.count(302) == 1
    assert record_model("visit").objects.filter(patient=patient).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_invitations_make_one_account(patient, staff_user):
    url = reverse("portal_invite", args=[patient.pk])
    codes = _simultaneously(staff_user, [("post", url, {"email": "ada@example.org"})] * THREADS)
    assert 500 not in codes
    assert get_user_model().objects.filter(email="ada@example.org").count() == 1
    assert Patient.objects.get(pk=patient.pk).user.email == "ada@example.org"


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_acknowledgements_acknowledge_once(records, consultant_user):
    flag = records["flag"]
    url = reverse("flag_acknowledge", args=[flag.pk])
    codes = _simultaneously(consultant_user, [("post", url, {"note": "Seen in clinic."})] * THREADS)
    assert 500 not in codes
    flag = record_model("flag").objects.get(pk=flag.pk)
    assert flag.status == FlagStatus.ACKNOWLEDGED
    assert flag.history.filter(status=FlagStatus.ACKNOWLEDGED).count() == 1
