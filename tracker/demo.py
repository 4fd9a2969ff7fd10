"""Synthetic demo clinic: about twenty invented patients with 1-6 year follow-up timelines.

Every name, MRN and value here is made up. The timelines follow a few archetypes of the
disease course (sustained response, VEGF relapse, radiological progression, neurological
worsening, partial response, plasma VEGF, a transient confounded spike) so that the worklist,
charts and rules have something realistic to show. All writes go through the services.
"""

import datetime
import random

from django.db import transaction

from tracker.demo_timeline import PatientBuilder, add_days
from tracker.models import Clinic, Patient, SymptomReport
from tracker.roles import CONSULTANT, PATIENT, STAFF
from tracker.services.patients import DEMO_CLINIC_CODE, DEMO_USERNAMES, patient_create, patient_update
from tracker.services.portal import portal_released_analytes_set, symptom_report_mark_reviewed
from tracker.services.review import results_mark_reviewed
from tracker.services.users import user_create

DEMO_PASSWORD = "demo-clinic-2026"  # noqa: S105  (published demo sign-in, synthetic data only)
DEMO_ACCOUNTS = tuple(zip(DEMO_USERNAMES, (STAFF, CONSULTANT, PATIENT), strict=True))
DEMO_PATIENT_MRN = "DEMO-001"
DECEASED_MRN = "DEMO-013"  # one demo patient's record ends with a death event

GIVEN = [
    "Alex",
    "Sam",
    "Robin",
    "Jordan",
    "Casey",
    "Morgan",
    "Taylor",
    "Jamie",
    "Avery",
    "Riley",
    "Quinn",
    "Rowan",
    "Hayden",
    "Emerson",
    "Parker",
    "Reese",
    "Skyler",
    "Dakota",
    "Finley",
    "Harper",
]
FAMILY = [
    "Example",
    "Sample",
    "Testwell",
    "Placeholder",
    "Demo",
    "Fictive",
    "Mockford",
    "Synthe",
    "Madeup",
    "Invento",
    "Notreal",
    "Pretend",
    "Imaginary",
    "Dummyson",
    "Trialby",
    "Specimen",
    "Modelle",
    "Fakeley",
    "Proxy",
    "Standin",
]

# archetype per patient, in MRN order; the first is the demo patient's own record.
ARCHETYPES = [
    "vegf_relapse",
    "cr_asct",
    "rt_radiological",
    "rd_pr",
    "neuro_worse",
    "cr_asct",
    "plasma",
    "spike",
    "cr_asct",
    "vegf_relapse",
    "rd_pr",
    "cr_asct",
    "neuro_worse",
    "plasma",
    "cr_asct",
    "rt_stable",
    "cr_asct",
    "spike",
    "rd_pr",
    "cr_asct",
]


class DemoRefused(Exception):
    """The database holds real (non-demo) patients: seeding would mix invented data in."""


def _clinic_has_reviewed(*, actor, today: datetime.date) -> None:
    """Patient reports and abnormal lab results older than a month have been read by the
    clinic; newer ones wait (the portal shows a recent abnormal result as awaiting review)."""
    cutoff = today - datetime.timedelta(days=30)
    for report in SymptomReport.objects.filter(source="patient", reported_on__lt=cutoff, reviewed_at__isnull=True):
        symptom_report_mark_reviewed(report=report, actor=actor)
    for patient in Patient.objects.filter(is_demo=True):
        older = patient.lab_results.valid().filter(collected_on__lt=cutoff, reviewed_at__isnull=True)
        results_mark_reviewed([result for result in older if result.is_abnormal], actor=actor)


def demo_status() -> str:
    """'empty', 'demo' (only demo patients) or 'real' (holds a non-demo patient)."""
    if Patient.objects.filter(is_demo=False).exists():
        return "real"
    return "demo" if Patient.objects.exists() else "empty"


@transaction.atomic
def seed_demo(*, today: datetime.date, count: int = 20, seed: int = 2026) -> int:
    """Build the demo clinic; returns the number of patients created."""
    if demo_status() == "real":
        raise DemoRefused("This database holds non-demo patients; the demo data is not added to it.")
    rng = random.Random(seed)
    clinic, _ = Clinic.objects.get_or_create(
        code=DEMO_CLINIC_CODE, defaults={"name": "Demo neurology & haematology clinic"}
    )
    users = {}
    for username, role in DEMO_ACCOUNTS[:2]:
        users[username] = user_create(username=username, role=role, password=DEMO_PASSWORD, clinics=[clinic])
    actor = users["staff"]
    for i in range(count):
        sex = "female" if i % 2 else "male"
        birth = datetime.date(rng.randint(1950, 1985), rng.randint(1, 12), rng.randint(1, 28))
        patient = patient_create(
            actor=actor,
            clinic=clinic,
            is_demo=True,
            mrn=f"DEMO-{i + 1:03d}",
            given_name=GIVEN[i % len(GIVEN)],
            family_name=FAMILY[i % len(FAMILY)],
            birth_date=birth,
            sex=sex,
            light_chain="lambda",
        )
        PatientBuilder(
            rng=rng,
            actor=actor,
            patient=patient,
            archetype=ARCHETYPES[i % len(ARCHETYPES)],
            today=today,
            deceased=patient.mrn == DECEASED_MRN,
        ).build()
        first = patient.treatments.order_by("start_date").first()
        patient_update(patient=patient, actor=actor, diagnosis_date=add_days(first.start_date, -30))
    demo_patient = Patient.objects.get(mrn=DEMO_PATIENT_MRN)
    user_create(
        username="patient", role=PATIENT, password=DEMO_PASSWORD, email="patient@example.org", patient=demo_patient
    )
    _clinic_has_reviewed(actor=users["consultant"], today=today)
    portal_released_analytes_set(patient=demo_patient, actor=actor, analytes=["vegf", "platelets", "hemoglobin"])
    return count
