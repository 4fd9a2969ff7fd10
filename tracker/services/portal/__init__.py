"""The patient portal's write path, one module per job:

- `tokens`: the invitation-link token generator (7 days, single use);
- `invitations`: portal accounts and their set-password links;
- `preferences`: a patient's portal settings (shared lab results, invited/reminded days);
- `self_reports`: patients' own reports, their review, and when the next one is due;
- `reminders`: reminder emails for due reports;
- `site`: where links in emails point.

The names below are re-exported so callers import from `tracker.services.portal`.
"""

from tracker.services.portal.invitations import PortalLink, portal_invite, portal_link_resend
from tracker.services.portal.preferences import (
    portal_released_analytes_set,
    portal_settings_for,
    portal_settings_save,
)
from tracker.services.portal.reminders import ReminderCandidate, portal_reminder_candidates, portal_reminder_send
from tracker.services.portal.self_reports import (
    portal_report_submit,
    report_due_on,
    report_start_on,
    symptom_report_mark_reviewed,
)
from tracker.services.portal.site import site_url_setting
from tracker.services.portal.tokens import INVITE_VALID_DAYS, InviteTokenGenerator, invite_token_generator

__all__ = [
    "INVITE_VALID_DAYS",
    "InviteTokenGenerator",
    "PortalLink",
    "ReminderCandidate",
    "invite_token_generator",
    "portal_invite",
    "portal_link_resend",
    "portal_released_analytes_set",
    "portal_reminder_candidates",
    "portal_reminder_send",
    "portal_report_submit",
    "portal_settings_for",
    "portal_settings_save",
    "report_due_on",
    "report_start_on",
    "site_url_setting",
    "symptom_report_mark_reviewed",
]
