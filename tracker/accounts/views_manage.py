"""Clinic administration pages (/manage/...) and the staff invitation link (/accounts/invite/).

Managers only (the clinic_manager group); every action goes through `clinic_admin`, which
audits it. The invitation link is shown once to the manager and e-mailed to the invitee.
"""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from tracker.access import role_of
from tracker.accounts import clinic_admin
from tracker.forms.base import apply_errors
from tracker.models import Clinic
from tracker.models.accounts import AccountAction, StaffInvite
from tracker.roles import CLINICAL_ROLES

ROLE_CHOICES = [(r, r.capitalize()) for r in CLINICAL_ROLES]


def manager_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not clinic_admin.is_clinic_manager(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class ClinicForm(forms.Form):
    code = forms.SlugField(max_length=32, help_text="Short code, letters, digits and hyphens, e.g. north.")
    name = forms.CharField(max_length=120)


class InviteForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=ROLE_CHOICES)
    clinic = forms.ModelChoiceField(queryset=Clinic.objects.none())

    def __init__(self, *args, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = clinics


class AcceptForm(forms.Form):
    username = forms.CharField(max_length=150)
    password = forms.CharField(widget=forms.PasswordInput, help_text=password_validators_help_text_html())
    password_again = forms.CharField(widget=forms.PasswordInput, label="Password again")

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "The two passwords differ.")
        return data


def _people(manager) -> list[dict]:
    users = list(clinic_admin.managed_users(manager).prefetch_related("groups", "clinics"))
    return [
        {
            "user": u,
            "role": role_of(u),
            "clinics": ", ".join(c.code for c in u.clinics.all()),
            "has_2fa": user_has_device(u, confirmed=True),
            "is_me": u.pk == manager.pk,
        }
        for u in users
    ]


def _manage_page(request, *, clinic_form=None, invite_form=None, status=200):
    """The manage page; a refused form comes back bound, its errors beside its fields and in the
    page's error summary (status 400), nothing saved."""
    clinics = clinic_admin.managed_clinics(request.user)
    context = {
        "clinics": clinics,
        "people": _people(request.user),
        "invites": StaffInvite.objects.filter(clinic__in=clinics, accepted_at__isnull=True).select_related("clinic"),
        "clinic_form": clinic_form or ClinicForm(),
        "invite_form": invite_form or InviteForm(clinics=clinics),
        "role_choices": ROLE_CHOICES,
        "actions": AccountAction.objects.filter(actor=request.user).select_related("subject")[:30],
        "invite_link": request.session.pop("poems_invite_link", None),
    }
    return render(request, "accounts/manage.html", context, status=status)


@manager_required
def manage_home(request):
    return _manage_page(request)


@require_POST
@manager_required
def clinic_create_view(request):
    form = ClinicForm(request.POST)
    if form.is_valid():
        try:
            clinic = clinic_admin.clinic_create(manager=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Clinic {clinic.name} created; you manage it.")
            return redirect("manage_home")
    return _manage_page(request, clinic_form=form, status=400)


@require_POST
@manager_required
def invite_create_view(request):
    form = InviteForm(request.POST, clinics=clinic_admin.managed_clinics(request.user))
    if not form.is_valid():
        return _manage_page(request, invite_form=form, status=400)
    invite, token = clinic_admin.staff_invite_create(manager=request.user, request=request, **form.cleaned_data)
    link = request.build_absolute_uri(reverse("staff_invite_accept", args=[token]))
    send_mail(
        "Your POEMS Tracker account",
        f"You are invited to POEMS Tracker as {invite.role} in {invite.clinic.name}.\n"
        f"Create your account with this link before {invite.expires_at:%Y-%m-%d %H:%M} UTC:\n{link}\n",
        settings.DEFAULT_FROM_EMAIL,
        [invite.email],
    )
    request.session["poems_invite_link"] = link
    messages.success(
        request, f"Invitation e-mailed to {invite.email}; it expires in {clinic_admin.invite_days()} days."
    )
    return redirect("manage_home")


@require_POST
@manager_required
def user_action_view(request, pk, action):
    user = clinic_admin.managed_user(request.user, pk)
    if action == "role":
        try:
            clinic_admin.user_role_set(
                manager=request.user, user=user, role=request.POST.get("role", ""), request=request
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
            return redirect("manage_home")
    elif action in ("deactivate", "reactivate"):
        clinic_admin.user_active_set(manager=request.user, user=user, active=action == "reactivate", request=request)
    elif action == "reset-2fa":
        clinic_admin.user_second_factor_reset(manager=request.user, user=user, request=request)
    else:
        raise PermissionDenied
    messages.success(request, f"{user.get_username()}: {action.replace('-', ' ')} done.")
    return redirect("manage_home")


def staff_invite_accept_view(request, token):
    invite = clinic_admin.staff_invite_open(token)
    if invite is None:
        return render(request, "accounts/invite_accept.html", {"expired": True}, status=410)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clinic_admin.staff_invite_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Your account is ready: sign in, then set up two-step sign-in.")
            return redirect("login")
    return render(request, "accounts/invite_accept.html", {"form": form, "invite": invite})
