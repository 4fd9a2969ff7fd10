"""Pages of the accounts capability: the second factor (under /accounts/, reachable before it is
verified) and clinic administration."""

from django.urls import path

from tracker.accounts import views_2fa

urlpatterns = [
    path("accounts/two-factor/", views_2fa.otp_verify, name="otp_verify"),
    path("accounts/two-factor/setup/", views_2fa.otp_setup, name="otp_setup"),
]
