"""add_user USERNAME --role ROLE [--mrn MRN] [--email EMAIL] [--clinic CODE] --password-stdin"""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tracker.models import Clinic, Patient
from tracker.roles import ROLES
from tracker.selectors import patient_by_mrn
from tracker.services.users import user_create


class Command(BaseCommand):
    help = "Create a staff, consultant or patient account; the password is read from standard input."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--mrn", help="For a patient account: the MRN of its patient.")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--clinic",
            action="append",
            default=[],
            metavar="CODE",
            help="Clinic code a staff member or consultant joins (repeatable; default: the first clinic). "
            "For a patient account: the clinic of --mrn, needed when the MRN is in several clinics.",
        )
        parser.add_argument("--password-stdin", action="store_true", required=True)

    def handle(self, *args, username, role, mrn, email, clinic, password_stdin, **options):
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("No password on standard input.")
        patient = None
        if mrn:
            if len(clinic) > 1:
                raise CommandError("A patient account takes at most one --clinic (the clinic of its MRN).")
            patient, problem = patient_by_mrn(mrn, clinic[0] if clinic else "", Patient.objects.all())
            if patient is None:
                raise CommandError(problem)
            clinic = []
        clinics = []
        for code in clinic:
            found = Clinic.objects.filter(code=code).first()
            if found is None:
                raise CommandError(f"No clinic with code {code!r}.")
            clinics.append(found)
        try:
            user_create(
                username=username, role=role, password=password, email=email, patient=patient, clinics=clinics or None
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"created {role} {username}")
