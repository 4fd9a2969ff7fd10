"""Sign-ins, sign-outs and failed sign-ins, recorded as AuthEvent rows."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from tracker.models import AuthEvent


def _ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


@receiver(user_logged_in, dispatch_uid="poems_login")
def _logged_in(sender, request, user, **kwargs) -> None:
    AuthEvent.objects.create(
        kind=AuthEvent.Kind.LOGIN, user=user, username=user.get_username(), ip_address=_ip(request)
    )


@receiver(user_logged_out, dispatch_uid="poems_logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        AuthEvent.objects.create(
            kind=AuthEvent.Kind.LOGOUT, user=user, username=user.get_username(), ip_address=_ip(request)
        )


@receiver(user_login_failed, dispatch_uid="poems_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    AuthEvent.objects.create(
        kind=AuthEvent.Kind.FAILED, username=str(credentials.get("username", ""))[:150], ip_address=_ip(request)
    )
