"""Secret calendar feeds: one address per user and clinic that a calendar client can poll
without signing in. Only a SHA-256 of the token is stored; revoking keeps the row."""

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from tracker.access import is_clinical
from tracker.models import Clinic
from tracker.models.schedule import CalendarFeed
from tracker.rules.schedule_params import ITEM_LABELS

FEED_DAYS_AHEAD = 90


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, actor, clinic: Clinic) -> tuple[CalendarFeed, str]:
    """A new feed for `actor` and one of their clinics, and its secret token (shown once)."""
    if not is_clinical(actor) or not clinic.members.filter(pk=actor.pk).exists():
        raise PermissionDenied("Only staff of the clinic can have its calendar feed.")
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=actor, clinic=clinic, token_sha256=token_digest(token))
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, actor, feed: CalendarFeed) -> None:
    """Switch a feed off for good: its address answers 404 from now on."""
    if feed.user_id != actor.pk:
        raise PermissionDenied("Only the owner of a calendar feed can revoke it.")
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed of a token: not revoked, its owner still active, clinical and in the clinic."""
    feed = (
        CalendarFeed.objects.select_related("user", "clinic")
        .filter(token_sha256=token_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None or not is_clinical(feed.user) or not feed.clinic.members.filter(pk=feed.user_id).exists():
        return None
    return feed


def calendar_ics(rows, *, clinic: Clinic, site_url: str, stamp: datetime.datetime) -> bytes:
    """An iCalendar file with one all-day event per due item. Events carry the MRN only, no
    names: calendars are less protected than the tracker."""
    cal = Calendar()
    cal.add("prodid", "-//POEMS Tracker//due items//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"POEMS follow-up due: {clinic.name}")
    base = site_url.rstrip("/")
    for row in rows:
        entry, patient = row.entry, row.patient
        event = Event()
        event.add("uid", f"{patient.pk}-{entry.item}-{entry.due_on.isoformat()}@poems-tracker")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.due_on)
        event.add("dtend", entry.due_on + datetime.timedelta(days=1))
        event.add("summary", f"{patient.mrn}: {ITEM_LABELS[entry.item]} due")
        overdue = f" Overdue {entry.overdue_days} days." if entry.overdue_days else ""
        event.add("description", f"Last done {entry.last_done or 'never'}.{overdue}")
        event.add("url", base + reverse("patient_detail", args=[patient.pk]) + "#plan")
        cal.add_component(event)
    return cal.to_ical()
