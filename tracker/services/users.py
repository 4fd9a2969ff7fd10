"""Accounts: staff, consultants and patients, each in its role's group."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from tracker.models import Clinic, Patient
from tracker.roles import PATIENT, ROLES
from tracker.services.patients import clinic_default


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    password: str,
    email: str = "",
    patient: Patient | None = None,
    clinics: list[Clinic] | None = None,
    actor=None,
):
    """Create an account in `role`. A patient account is linked to exactly one patient;
    staff and consultants join `clinics` (default: the first clinic). `actor` is who linked a
    patient account in the patient's history (the inviting staff member; else the account)."""
    User = get_user_model()
    if role not in ROLES:
        raise ValidationError({"role": f"Role must be one of {', '.join(ROLES)}."})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"A user named {username!r} already exists."})
    if role == PATIENT:
        if patient is None:
            raise ValidationError({"mrn": "A patient account needs --mrn naming its patient."})
        if patient.user_id is not None:
            raise ValidationError({"mrn": f"Patient {patient.mrn} already has an account."})
    elif patient is not None:
        raise ValidationError({"mrn": "--mrn is only for patient accounts."})
    user = User(username=username, email=email)
    user.full_clean(exclude=["password"])
    validate_password(password, user=user)
    user.set_password(password)
    user.save()
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    if role == PATIENT:
        patient.user = user
        patient._history_user = actor or user
        patient.save(update_fields=["user", "updated_at"])
    else:
        for clinic in clinics or [clinic_default()]:
            clinic.members.add(user)
    return user
