"""The secret calendar feed: parses as iCalendar, names patients by MRN only, revocable."""

import re

from django.urls import reverse
from icalendar import Calendar

from tests.factories import UserFactory
from tests.schedule.conftest import add_frontline
from tracker.models.schedule import CalendarFeed
from tracker.roles import STAFF


def _new_feed_url(client, clinic) -> str:
    response = client.post(reverse("calendar_feeds"), {"clinic": clinic.code})
    assert response.status_code == 200
    return re.search(r"http://testserver(/calendar/[^<\s]+\.ics)", response.content.decode()).group(1)


def test_feed_parses_and_lists_due_items(client, staff_client, staff_user, clinic, patient):
    add_frontline(patient, staff_user)
    path = _new_feed_url(staff_client, clinic)
    client.logout()
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    summaries = {str(e["SUMMARY"]) for e in events}
    assert "P001: Full blood count due" in summaries
    assert all(patient.family_name not in str(e["SUMMARY"]) + str(e["DESCRIPTION"]) for e in events)


def test_only_a_hash_of_the_token_is_stored(staff_client, clinic):
    path = _new_feed_url(staff_client, clinic)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    assert not CalendarFeed.objects.filter(token_sha256=token).exists()
    assert len(CalendarFeed.objects.get().token_sha256) == 64


def test_revoked_or_unknown_feed_answers_404(client, staff_client, clinic):
    path = _new_feed_url(staff_client, clinic)
    feed = CalendarFeed.objects.get()
    assert staff_client.post(reverse("calendar_feed_revoke", args=[feed.pk])).status_code == 302
    client.logout()
    assert client.get(path).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert CalendarFeed.objects.get().revoked_at is not None


def test_feed_stops_when_its_owner_leaves_the_clinic(client, staff_client, staff_user, clinic):
    path = _new_feed_url(staff_client, clinic)
    clinic.members.remove(staff_user)
    assert client.get(path).status_code == 404


def test_another_user_cannot_revoke_my_feed(client, staff_client, clinic):
    _new_feed_url(staff_client, clinic)
    feed = CalendarFeed.objects.get()
    client.force_login(UserFactory(username="colleague", role=STAFF, clinics=[clinic]))
    assert client.post(reverse("calendar_feed_revoke", args=[feed.pk])).status_code == 404
    assert CalendarFeed.objects.get().revoked_at is None


def test_feed_for_a_clinic_i_do_not_belong_to_is_refused(staff_client, other_clinic):
    response = staff_client.post(reverse("calendar_feeds"), {"clinic": other_clinic.code})
    assert "Choose one of your clinics" in response.content.decode()
    assert not CalendarFeed.objects.exists()
