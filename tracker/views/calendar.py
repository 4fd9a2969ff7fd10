"""Calendar feeds of due items: managed by signed-in staff, read by calendar clients."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tracker.access import clinical_required
from tracker.models import Patient
from tracker.models.schedule import CalendarFeed
from tracker.services.calendar import (
    FEED_DAYS_AHEAD,
    calendar_feed_create,
    calendar_feed_for_token,
    calendar_feed_revoke,
    calendar_ics,
)
from tracker.services.due import due_rows
from tracker.services.portal import site_url_setting


@clinical_required
def calendar_feeds(request):
    """List the user's feeds; POST makes a new one for a clinic and shows its address once."""
    clinics = list(request.user.clinics.all())
    new_url = ""
    if request.method == "POST":
        clinic = next((c for c in clinics if c.code == request.POST.get("clinic")), None)
        if clinic is None:
            messages.error(request, "Choose one of your clinics.")
        else:
            _feed, token = calendar_feed_create(actor=request.user, clinic=clinic)
            new_url = request.build_absolute_uri(f"/calendar/{token}.ics")
    feeds = CalendarFeed.objects.filter(user=request.user).select_related("clinic")
    return render(
        request, "tracker/staff/calendar_feeds.html", {"feeds": feeds, "clinics": clinics, "new_url": new_url}
    )


@require_POST
@clinical_required
def calendar_feed_revoke_view(request, pk):
    feed = get_object_or_404(CalendarFeed, pk=pk, user=request.user)
    calendar_feed_revoke(actor=request.user, feed=feed)
    messages.success(request, f"Calendar feed for {feed.clinic.name} revoked; its address no longer works.")
    return redirect("calendar_feeds")


def calendar_feed(request, token):
    """The .ics of a clinic's overdue items and those due in the next 90 days. No sign-in: the
    secret address is the key; an unknown or revoked one answers 404."""
    feed = calendar_feed_for_token(token)
    if feed is None:
        raise Http404("No such calendar.")
    today = timezone.localdate()
    rows = due_rows(Patient.objects.filter(clinic=feed.clinic), as_of=today, within_days=FEED_DAYS_AHEAD)
    body = calendar_ics(rows, clinic=feed.clinic, site_url=site_url_setting(), stamp=timezone.now())
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
