"""Fixtures for the accounts suites: the second factor switched on, and codes computed the way
an authenticator app does (django-otp's own TOTP over the device key)."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.views.conftest import records  # noqa: F401  (one record of every kind, for page tests)


@pytest.fixture
def two_factor_on(settings):
    settings.POEMS_REQUIRE_2FA = True
    return settings


def totp_code(device: TOTPDevice, *, drift: int = 0) -> str:
    """The six digits an authenticator app shows now for `device`."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def enrolled_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
