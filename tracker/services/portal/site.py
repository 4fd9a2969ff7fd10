"""Where links in emails point."""

from django.conf import settings


def site_url_setting() -> str:
    """Where links in emails sent without a request (reminders) point."""
    return getattr(settings, "POEMS_SITE_URL", "http://localhost:8000")
