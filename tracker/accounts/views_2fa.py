"""Second-factor pages: enrol an authenticator app, enter a code at sign-in."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, user_has_device

from tracker.accounts.twofactor import (
    second_factor_verify,
    totp_device_pending,
    totp_enrol_confirm,
    totp_qr_svg,
    totp_secret_text,
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text="Six digits from your authenticator app, or one of your backup codes.",
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _wrong_code_message(user) -> str:
    if any(not device.verify_is_allowed()[0] for device in devices_for_user(user)):
        return "That code is not valid, and repeated wrong codes make you wait: try again in a few seconds."
    return "That code is not valid. Enter the current six-digit code or an unused backup code."


def _to(name: str, request):
    return redirect(f"{reverse(name)}?{urlencode({'next': _next(request)})}")


@never_cache
@login_required
def otp_verify(request):
    if request.user.is_verified():
        return redirect(_next(request))
    if not user_has_device(request.user, confirmed=True):
        return _to("otp_setup", request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor_verify(request=request, token=form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error("code", _wrong_code_message(request.user))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)})


@never_cache
@login_required
def otp_setup(request):
    if user_has_device(request.user, confirmed=True):
        if not request.user.is_verified():
            return _to("otp_verify", request)
        return render(request, "accounts/otp_enrolled.html", {"next": _next(request)})
    device = totp_device_pending(request.user)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = "The six digits your app shows after you scan the code."
    if request.method == "POST" and form.is_valid():
        codes = totp_enrol_confirm(request=request, device=device, token=form.cleaned_data["code"])
        if codes is not None:
            return render(request, "accounts/otp_backup_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", "That code does not match. Check the time on your phone and enter the current code.")
    context = {"form": form, "qr_svg": totp_qr_svg(device), "secret": totp_secret_text(device), "next": _next(request)}
    return render(request, "accounts/otp_setup.html", context)
