"""The follow-up schedule: the due list, plan changes, reminders sent and calendar feeds."""

from django.urls import path

from tracker.views import calendar, due

urlpatterns = [
    path("due/", due.due_list, name="due_list"),
    path("due/reminders/", due.reminder_log, name="reminder_log"),
    path("due/calendar/", calendar.calendar_feeds, name="calendar_feeds"),
    path("due/calendar/<int:pk>/revoke/", calendar.calendar_feed_revoke_view, name="calendar_feed_revoke"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("due/clinic/<slug:code>/", due.clinic_plan, name="clinic_plan"),
    path("due/clinic/<slug:code>/<slug:item>/", due.clinic_plan_item_edit, name="clinic_plan_item_edit"),
    path("patients/<int:pk>/plan/<slug:item>/", due.plan_item_edit, name="plan_item_edit"),
]
