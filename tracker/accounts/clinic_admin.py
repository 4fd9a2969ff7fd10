"""Clinic administration: the only write path for clinics, staff invitations, roles and
deactivation. Every action is an AccountAction row (who, to whom, what, when).

A clinic manager manages the clinics they belong to and the staff and consultant accounts of
those clinics; never patients' accounts, never superusers, never their own account's role or
state. Accounts are deactivated, never deleted.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tracker.access import role_of
from tracker.accounts.audit import account_action_record
from tracker.accounts.twofactor import second_factor_reset
from tracker.models import Clinic
from tracker.models.accounts import StaffInvite
from tracker.roles import CLINIC_MANAGER, CLINICAL_ROLES
from tracker.services.users import user_create

DEFAULT_INVITE_DAYS = 7


def is_clinic_manager(user) -> bool:
    """Membership of the clinic_manager group (cached on the user for the request)."""
    if not user.is_authenticated:
        return False
    if getattr(user, "_poems_groups", None) is None:
        user._poems_role = None
        role_of(user)  # loads the group names with the role: one query per request, shared
    return CLINIC_MANAGER in user._poems_groups


def managed_clinics(manager) -> QuerySet[Clinic]:
    return Clinic.objects.filter(members=manager).order_by("name")


def managed_users(manager) -> QuerySet:
    """Staff and consultant accounts of the manager's clinics (not patients, not superusers)."""
    return (
        get_user_model()
        .objects.filter(clinics__members=manager, groups__name__in=CLINICAL_ROLES, is_superuser=False)
        .distinct()
        .order_by("username")
    )


def managed_user(manager, pk):
    """A user the manager may act on; PermissionDenied otherwise (and for themselves)."""
    user = managed_users(manager).filter(pk=pk).first()
    if user is None or user.pk == manager.pk:
        raise PermissionDenied("You do not manage this account.")
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def manager_grant(*, user, clinics: list[Clinic], actor=None) -> None:
    """Make `user` a clinic manager of `clinics` (the command `grant_manager`)."""
    user.groups.add(Group.objects.get_or_create(name=CLINIC_MANAGER)[0])
    for clinic in clinics:
        clinic.members.add(user)
    codes = ", ".join(c.code for c in clinics)
    account_action_record(action="manager.granted", actor=actor, subject=user, detail=codes)


@transaction.atomic
def clinic_create(*, manager, code: str, name: str, request=None) -> Clinic:
    clinic = Clinic(code=code, name=name)
    clinic.full_clean()
    clinic.save()
    clinic.members.add(manager)
    account_action_record(action="clinic.created", actor=manager, detail=f"{code}: {name}", request=request)
    return clinic


def invite_days() -> int:
    return int(getattr(settings, "POEMS_STAFF_INVITE_DAYS", DEFAULT_INVITE_DAYS))


@transaction.atomic
def staff_invite_create(*, manager, clinic: Clinic, email: str, role: str, request=None) -> tuple[StaffInvite, str]:
    """An invitation valid for POEMS_STAFF_INVITE_DAYS (default 7); returns it with its token,
    which is stored only as a hash."""
    if role not in CLINICAL_ROLES:
        raise ValidationError({"role": f"Role must be one of {', '.join(CLINICAL_ROLES)}."})
    if not managed_clinics(manager).filter(pk=clinic.pk).exists():
        raise PermissionDenied("You do not manage this clinic.")
    token = secrets.token_urlsafe(32)
    invite = StaffInvite.objects.create(
        token_hash=_token_hash(token),
        email=email,
        role=role,
        clinic=clinic,
        created_by=manager,
        expires_at=timezone.now() + timedelta(days=invite_days()),
    )
    account_action_record(
        action="invite.created", actor=manager, detail=f"{role} {email} to {clinic.code}", request=request
    )
    return invite, token


def staff_invite_open(token: str) -> StaffInvite | None:
    """The unused, unexpired invitation for `token`, or None."""
    invite = StaffInvite.objects.select_related("clinic").filter(token_hash=_token_hash(token)).first()
    if invite is None or invite.accepted_at is not None or invite.expires_at <= timezone.now():
        return None
    return invite


@transaction.atomic
def staff_invite_accept(*, token: str, username: str, password: str, request=None):
    """Create the invited account (its role, its clinic); the invitation then stops working.
    The row is locked so two submits of one link make one account."""
    found = staff_invite_open(token)
    invite = StaffInvite.objects.select_for_update().filter(pk=found.pk).first() if found else None
    if invite is None or invite.accepted_at is not None:
        raise ValidationError("This invitation has expired or has been used. Ask your clinic manager for a new one.")
    user = user_create(
        username=username, role=invite.role, password=password, email=invite.email, clinics=[invite.clinic]
    )
    invite.accepted_at = timezone.now()
    invite.accepted_user = user
    invite.save(update_fields=["accepted_at", "accepted_user"])
    account_action_record(
        action="invite.accepted",
        actor=user,
        subject=user,
        detail=f"{invite.role} in {invite.clinic.code}",
        request=request,
    )
    return user


@transaction.atomic
def user_role_set(*, manager, user, role: str, request=None) -> None:
    if role not in CLINICAL_ROLES:
        raise ValidationError({"role": f"Role must be one of {', '.join(CLINICAL_ROLES)}."})
    old = role_of(user)
    user.groups.remove(*Group.objects.filter(name__in=CLINICAL_ROLES))
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    user._poems_role = None
    account_action_record(
        action="user.role_set", actor=manager, subject=user, detail=f"{old} -> {role}", request=request
    )


@transaction.atomic
def user_active_set(*, manager, user, active: bool, request=None) -> None:
    """Deactivate (the account can no longer sign in; its sessions end at their next request)
    or reactivate. Nothing is deleted."""
    user.is_active = active
    user.save(update_fields=["is_active"])
    action = "user.reactivated" if active else "user.deactivated"
    account_action_record(action=action, actor=manager, subject=user, request=request)


def user_second_factor_reset(*, manager, user, request=None) -> int:
    return second_factor_reset(actor=manager, subject=user, request=request)
