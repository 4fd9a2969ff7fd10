"""The patient portal's write path: invitations, what a patient may see, self-reports,
review of self-reports, and report reminders.

Invitation links use Django's password-reset token machinery with its own salt and a 7-day
lifetime. Nothing secret is stored: the token is an HMAC over the user's password hash and last
login, so it stops working the moment the patient sets a password (single use) and can never be
replayed as an ordinary password-reset token, nor the other way round.
"""

import datetime
import logging
import secrets
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from tracker import catalogue
from tracker.models import Patient, PatientPortal, RecordStatus, SymptomReport, SymptomSource
from tracker.roles import PATIENT
from tracker.rules.schedule import report_due_on
from tracker.services.common import save_validated
from tracker.services.records import symptom_report_record
from tracker.services.users import user_create

INVITE_VALID_DAYS = 7
logger = logging.getLogger(__name__)


class InviteTokenGenerator(PasswordResetTokenGenerator):
    """Set-password links for new portal accounts: valid for INVITE_VALID_DAYS, single use.

    `check_token` of the parent reads the global PASSWORD_RESET_TIMEOUT; this one has its own
    lifetime and can say *why* a link fails, so the patient is told "expired" rather than
    "invalid" when that is the reason.
    """

    key_salt = "tracker.services.portal.InviteTokenGenerator"
    timeout_seconds = INVITE_VALID_DAYS * 24 * 60 * 60

    def check_token(self, user, token) -> bool:
        return self.token_problem(user, token) == ""

    def token_problem(self, user, token) -> str:
        """'' for a good link, 'expired' for a genuine but old one, 'invalid' otherwise
        (already used, replaced by a password change, or tampered with)."""
        if not (user and token):
            return "invalid"
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return "invalid"
        genuine = any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )
        if not genuine:
            return "invalid"
        if self._num_seconds(self._now()) - ts > self.timeout_seconds:
            return "expired"
        return ""


invite_token_generator = InviteTokenGenerator()


@dataclass(frozen=True)
class PortalLink:
    """A set-password link just issued: shown once to staff and emailed to the patient."""

    user: object
    url: str
    valid_until: datetime.date
    emailed: bool
    shown_on_screen: bool = True


def portal_settings_for(patient: Patient) -> PatientPortal:
    """The patient's portal settings; an unsaved default when staff have never set any. One query."""
    return PatientPortal.objects.filter(patient=patient).first() or PatientPortal(patient=patient)


def _save_portal(portal: PatientPortal, *, actor, **changes) -> PatientPortal:
    for name, value in changes.items():
        setattr(portal, name, value)
    save_validated(portal, actor=actor)
    return portal


def _free_username(email: str) -> str:
    """The email address itself, which patients remember, unless another account took it."""
    users = get_user_model().objects
    candidate, n = email, 1
    while users.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{email.split('@')[0]}-{n}"
    return candidate


def _issue_link(*, patient: Patient, user, actor, site_url: str, first: bool) -> PortalLink:
    """Make the link, record the day, and email it. A mail server that is down must not lose
    the account: the link is then only shown on screen, and `emailed` says so."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("password_set", kwargs={"uidb64": uidb64, "token": invite_token_generator.make_token(user)})
    today = timezone.localdate()
    url = site_url.rstrip("/") + path
    valid_until = today + datetime.timedelta(days=INVITE_VALID_DAYS)
    _save_portal(portal_settings_for(patient), actor=actor, invited_on=today)
    emailed = False
    if user.email:
        context = {"patient": patient, "url": url, "valid_until": valid_until, "username": user.get_username()}
        context.update(first=first, site_url=site_url.rstrip("/"))
        try:
            send_mail(
                subject="Your POEMS Tracker account" if first else "A new link to set your POEMS Tracker password",
                message=render_to_string("tracker/portal/email_invite.txt", context),
                from_email=None,
                recipient_list=[user.email],
            )
            emailed = True
        except (smtplib.SMTPException, OSError):
            logger.exception("Could not email the portal link to user %s", user.pk)
    # Once the patient has a password of their own, a new link goes to their email only: staff
    # never hold a link that would let them sign in as the patient.
    return PortalLink(
        user=user, url=url, valid_until=valid_until, emailed=emailed, shown_on_screen=not user.has_usable_password()
    )


@transaction.atomic
def portal_invite(*, patient: Patient, email: str, actor, site_url: str) -> PortalLink:
    """Create the patient's portal account (no usable password yet) and email a set-password link."""
    if patient.status != RecordStatus.FINAL:
        raise ValidationError("This patient record is marked entered in error.")
    if patient.user_id is not None:
        raise ValidationError(f"This patient already has a portal account ({patient.user.get_username()}).")
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": "Enter the patient's email address."})
    user = user_create(
        username=_free_username(email),
        role=PATIENT,
        password=secrets.token_urlsafe(32),
        email=email,
        patient=patient,
        actor=actor,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return _issue_link(patient=patient, user=user, actor=actor, site_url=site_url, first=True)


@transaction.atomic
def portal_link_resend(*, patient: Patient, actor, site_url: str) -> PortalLink:
    """A fresh set-password link for an existing account (expired invitation, forgotten
    password). The current password keeps working until the patient uses the link."""
    user = patient.user
    if user is None:
        raise ValidationError("This patient has no portal account yet; invite them first.")
    if not user.is_active:
        raise ValidationError("This portal account is switched off.")
    if user.has_usable_password():
        if not user.email:
            raise ValidationError(
                "The patient has set a password and has no email address on file: add one, or ask them to reset "
                "their password from the sign-in page."
            )
    else:
        # A new random unusable password changes the hash every token is made from, so the
        # links issued before this one stop working.
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return _issue_link(patient=patient, user=user, actor=actor, site_url=site_url, first=False)


@transaction.atomic
def portal_released_analytes_set(*, patient: Patient, actor, analytes) -> PatientPortal:
    """Choose which lab results the patient sees on their own page (in catalogue order)."""
    chosen = set(analytes)
    known = [code for code in catalogue.ANALYTES if code in chosen]
    released = known + sorted(chosen - set(known))  # unknown codes are refused by the model
    return _save_portal(portal_settings_for(patient), actor=actor, released_analytes=released)


@transaction.atomic
def portal_report_submit(
    *, patient: Patient, actor, reported_on: datetime.date | None = None, **fields
) -> SymptomReport:
    """Save the patient's own report for today: a second one that day updates the first (its
    prior version kept in history) and re-evaluates the flags (R6, R7).

    A report the clinic team entered for the same day is never overwritten from the portal:
    patients cannot edit clinician scores.
    """
    reported_on = reported_on or timezone.localdate()
    clinic_report = (
        SymptomReport.objects.valid()
        .filter(patient=patient, reported_on=reported_on)
        .exclude(source=SymptomSource.PATIENT)
        .exists()
    )
    if clinic_report:
        raise ValidationError(
            "Your clinic team has already recorded your symptoms today. "
            "If something has changed, please tell them directly."
        )
    return symptom_report_record(
        patient=patient,
        actor=actor,
        reported_on=reported_on,
        source=SymptomSource.PATIENT,
        replace_same_day=True,
        **fields,
    )


@transaction.atomic
def symptom_report_mark_reviewed(*, report: SymptomReport, actor) -> SymptomReport:
    """Record that a clinician has looked at a patient's self-report; the change is kept in
    the report's history. Marking a reviewed report again changes nothing."""
    if report.status != RecordStatus.FINAL:
        raise ValidationError("A report marked entered in error cannot be reviewed.")
    if report.source != SymptomSource.PATIENT:
        raise ValidationError("Only patient-reported symptoms need review.")
    if report.reviewed_at is not None:
        return report
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    save_validated(report, actor=actor)
    return report


# --- when a report is due, and reminders ------------------------------------------------------


@dataclass(frozen=True)
class ReminderCandidate:
    """A portal patient whose report is due today, and whether (and why not) to email them."""

    patient: Patient
    due_on: datetime.date
    skip_reason: str

    @property
    def send(self) -> bool:
        return not self.skip_reason


def portal_reminder_candidates(*, today: datetime.date) -> list[ReminderCandidate]:
    """Every active portal patient whose report is due on `today`, each with a skip reason
    (empty: email them). At most one reminder per due period: a patient already reminded on
    or after the due day is not reminded again until another interval has passed. One query.
    """
    patients = (
        Patient.objects.filter(status=RecordStatus.FINAL, user__isnull=False, user__is_active=True)
        .select_related("user", "portal")
        .annotate(
            last_report_on=Max("symptom_reports__reported_on", filter=Q(symptom_reports__status=RecordStatus.FINAL))
        )
        .order_by("mrn")
    )
    candidates = []
    for patient in patients:
        portal = getattr(patient, "portal", None)
        start_on = (portal and portal.invited_on) or timezone.localdate(patient.user.date_joined)
        due_on = report_due_on(
            last_report_on=patient.last_report_on, interval_days=patient.report_interval_days, start_on=start_on
        )
        if due_on > today:
            continue
        reminded = portal.last_reminded_on if portal else None
        if reminded and reminded >= due_on and (today - reminded).days < patient.report_interval_days:
            reason = f"already reminded on {reminded.isoformat()}"
        elif not patient.user.email:
            reason = "no email address"
        elif not patient.user.has_usable_password():
            reason = "has not set a password yet (send a new link from the patient page)"
        else:
            reason = ""
        candidates.append(ReminderCandidate(patient=patient, due_on=due_on, skip_reason=reason))
    return candidates


def portal_reminder_send(*, candidate: ReminderCandidate, today: datetime.date, site_url: str) -> None:
    """Email one reminder and record the day, so the next run does not repeat it. The email
    carries no clinical data: only a greeting and a link to sign in."""
    patient = candidate.patient
    base = site_url.rstrip("/")
    context = {"patient": patient, "report_url": base + reverse("portal_report"), "site_url": base}
    send_mail(
        subject="Time for your symptom report",
        message=render_to_string("tracker/portal/email_reminder.txt", context),
        from_email=None,
        recipient_list=[patient.user.email],
    )
    with transaction.atomic():
        _save_portal(portal_settings_for(patient), actor=None, last_reminded_on=today)


def site_url_setting() -> str:
    """Where links in emails sent without a request (reminders) point."""
    return getattr(settings, "POEMS_SITE_URL", "http://localhost:8000")
