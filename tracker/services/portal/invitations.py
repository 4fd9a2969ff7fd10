"""Portal accounts and their set-password links: invite a patient, send a fresh link."""

import datetime
import logging
import secrets
import smtplib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tracker.models import Patient, RecordStatus
from tracker.roles import PATIENT
from tracker.services.portal.preferences import portal_settings_for, portal_settings_save
from tracker.services.portal.tokens import INVITE_VALID_DAYS, invite_token_generator
from tracker.services.users import user_create

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PortalLink:
    """A set-password link just issued: shown once to staff and emailed to the patient."""

    user: object
    url: str
    valid_until: datetime.date
    emailed: bool
    shown_on_screen: bool = True


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
    portal_settings_save(portal_settings_for(patient), actor=actor, invited_on=today)
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
    """Create the patient's portal account (no usable password yet) and email a set-password link.

    The patient row is locked first: of two simultaneous invitations the second waits, then
    finds the account the first created (no orphan accounts)."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
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
