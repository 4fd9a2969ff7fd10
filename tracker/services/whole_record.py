"""The rest of the follow-up record: bone marrow biopsies, clinical events, imaging lesions,
medications and referrals.

Each create service validates through the model's own checks (field bounds with units, the
natural key) and saves with who and when, like the services in `records.py`.
"""

from django.db import transaction

from tracker.models import ClinicalEvent, ImagingLesion, MarrowBiopsy, Medication, Patient, Referral
from tracker.services.common import save_validated
from tracker.services.flags import flags_refresh


def _create(model, *, patient: Patient, actor, evaluate: bool, **fields):
    record = model(patient=patient, **fields)
    save_validated(record, actor=actor)
    if evaluate:
        flags_refresh(patient)
    return record


@transaction.atomic
def marrow_record(*, patient: Patient, actor, evaluate: bool = True, **fields) -> MarrowBiopsy:
    return _create(MarrowBiopsy, patient=patient, actor=actor, evaluate=evaluate, **fields)


@transaction.atomic
def event_record(*, patient: Patient, actor, evaluate: bool = True, **fields) -> ClinicalEvent:
    """A clinical event; one ending before it starts is refused (the model's `clean`)."""
    return _create(ClinicalEvent, patient=patient, actor=actor, evaluate=evaluate, **fields)


@transaction.atomic
def lesion_record(*, patient: Patient, actor, evaluate: bool = True, **fields) -> ImagingLesion:
    """A lesion of a recorded imaging study (same date and modality); without one it is refused."""
    return _create(ImagingLesion, patient=patient, actor=actor, evaluate=evaluate, **fields)


@transaction.atomic
def medication_record(*, patient: Patient, actor, evaluate: bool = True, **fields) -> Medication:
    """A concomitant medicine; a stop date before the start, or a dose outside its unit's
    bounds, is refused (the model's `clean`)."""
    return _create(Medication, patient=patient, actor=actor, evaluate=evaluate, **fields)


@transaction.atomic
def referral_record(*, patient: Patient, actor, evaluate: bool = True, **fields) -> Referral:
    """A referral; a status date before the referral date is refused (the model's `clean`)."""
    return _create(Referral, patient=patient, actor=actor, evaluate=evaluate, **fields)
