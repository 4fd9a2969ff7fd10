"""Two-factor sign-in with django-otp: who needs it, enrolment and verification.

Staff, consultants and every other account that is not a patient's must pass a second factor
before any page when `POEMS_REQUIRE_2FA` is true (INTERFACES.md section 4). Patients may enrol;
anyone with a confirmed device is asked for a code at each sign-in. The factor is a TOTP
authenticator app enrolled by scanning a QR code drawn on the server as inline SVG, with ten
one-time backup codes (django-otp's static device) for a lost phone.
"""

import base64

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.access import role_of
from tracker.accounts.audit import account_action_record
from tracker.roles import PATIENT

BACKUP_CODE_COUNT = 10
TOTP_NAME = "Authenticator app"
BACKUP_NAME = "Backup codes"
# Session key: whether the user had a confirmed device when the session began (set at sign-in).
HAS_DEVICE_KEY = "poems_has_otp_device"


def second_factor_required(user, session=None) -> bool:
    """True when `user` may not go on without a verified second factor. No query when the
    session already knows whether the user has a device (it is noted at sign-in)."""
    if not user.is_authenticated or user.is_verified():
        return False
    has_device = session.get(HAS_DEVICE_KEY) if session is not None else None
    if has_device is None:
        has_device = user_has_device(user, confirmed=True)
    if has_device:
        return True
    return bool(getattr(settings, "POEMS_REQUIRE_2FA", True)) and role_of(user) != PATIENT


def second_factor_step(user) -> str:
    """The URL name a not-yet-verified user must go to: 'otp_verify' or 'otp_setup'."""
    return "otp_verify" if user_has_device(user, confirmed=True) else "otp_setup"


def totp_device_pending(user) -> TOTPDevice:
    """The user's unconfirmed authenticator, created on first call so the QR code stays the
    same while they scan it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def totp_qr_svg(device: TOTPDevice) -> str:
    """The provisioning URL as an inline SVG QR code (no image request, no script)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308  (built here from our own data)


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def backup_codes_issue(user) -> list[str]:
    """Replace the user's backup codes with ten new ones and return them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def totp_enrol_confirm(*, request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm `device` with a code from the app; sign the session in with it and return the
    new backup codes, or None when the code is wrong."""
    user = request.user
    if device.user_id != user.pk or not device.verify_token(token.strip()):
        account_action_record(action="2fa.enrol_failed", actor=user, subject=user, request=request)
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    codes = backup_codes_issue(user)
    otp_login(request, device)
    request.session[HAS_DEVICE_KEY] = True
    account_action_record(action="2fa.enrolled", actor=user, subject=user, detail=device.name, request=request)
    return codes


def second_factor_verify(*, request, token: str) -> bool:
    """Check a code (authenticator or backup) and mark the session verified. Each device's
    own throttle slows repeated wrong codes; every attempt is audited."""
    user = request.user
    device = match_token(user, token.strip().replace(" ", ""))
    if device is None:
        account_action_record(action="2fa.failed", actor=user, subject=user, request=request)
        return False
    otp_login(request, device)
    kind = "backup code" if isinstance(device, StaticDevice) else device.name
    account_action_record(action="2fa.verified", actor=user, subject=user, detail=kind, request=request)
    return True


@transaction.atomic
def second_factor_reset(*, actor, subject, request=None) -> int:
    """Remove every second-factor device of `subject` (a lost phone): they enrol again at their
    next sign-in. Returns how many devices were removed."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        devices = model.objects.filter(user=subject)
        removed += devices.count()
        devices.delete()
    account_action_record(
        action="2fa.reset", actor=actor, subject=subject, detail=f"{removed} device(s) removed", request=request
    )
    return removed
