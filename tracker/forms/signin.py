"""The sign-in form: Django's, saying why a published demo sign-in stopped working."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from tracker.services.patients import DEMO_RETIRED_MESSAGE, demo_account_retired


class SignInForm(AuthenticationForm):
    """A failed sign-in with a demo username that was switched off says so, instead of only
    "enter a correct username and password". The demo usernames and password are published,
    so naming their state discloses nothing; every other failure keeps Django's message."""

    def get_invalid_login_error(self):
        if demo_account_retired(self.cleaned_data.get("username") or ""):
            return ValidationError(DEMO_RETIRED_MESSAGE, code="demo_retired")
        return super().get_invalid_login_error()
