"""Clinics, staff membership and the sign-in audit trail."""

from django.conf import settings
from django.db import models


class Clinic(models.Model):
    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=120)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="clinics")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AuthEvent(models.Model):
    """A sign-in, sign-out or failed sign-in: kept for the security audit."""

    class Kind(models.TextChoices):
        LOGIN = "login", "Signed in"
        LOGOUT = "logout", "Signed out"
        FAILED = "failed", "Failed sign-in"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    username = models.CharField(max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.username} at {self.at:%Y-%m-%d %H:%M}"
