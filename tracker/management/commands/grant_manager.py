"""grant_manager USERNAME [--clinic CODE ...]: let an account run clinics in the app."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tracker.accounts.clinic_admin import manager_grant
from tracker.models import Clinic


class Command(BaseCommand):
    help = (
        "Make an existing account a clinic manager (create clinics, invite staff and consultants, set roles, "
        "deactivate accounts, reset a lost second factor) of the given clinics."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--clinic", action="append", default=[], metavar="CODE", help="Clinic code (repeatable).")

    def handle(self, *args, username, clinic, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        clinics = []
        for code in clinic:
            found = Clinic.objects.filter(code=code).first()
            if found is None:
                raise CommandError(f"No clinic with code {code!r}.")
            clinics.append(found)
        manager_grant(user=user, clinics=clinics)
        codes = ", ".join(c.code for c in clinics) or "no clinic yet"
        self.stdout.write(f"{username} is a clinic manager ({codes})")
