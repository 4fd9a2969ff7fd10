"""A patient's portal settings: which lab results they see, when they were invited and reminded."""

from django.db import transaction

from tracker import catalogue
from tracker.models import Patient, PatientPortal
from tracker.services.common import save_validated


def portal_settings_for(patient: Patient) -> PatientPortal:
    """The patient's portal settings; an unsaved default when staff have never set any. One query."""
    return PatientPortal.objects.filter(patient=patient).first() or PatientPortal(patient=patient)


def portal_settings_save(portal: PatientPortal, *, actor, **changes) -> PatientPortal:
    for name, value in changes.items():
        setattr(portal, name, value)
    save_validated(portal, actor=actor)
    return portal


@transaction.atomic
def portal_released_analytes_set(*, patient: Patient, actor, analytes) -> PatientPortal:
    """Choose which lab results the patient sees on their own page (in catalogue order)."""
    chosen = set(analytes)
    known = [code for code in catalogue.ANALYTES if code in chosen]
    released = known + sorted(chosen - set(known))  # unknown codes are refused by the model
    return portal_settings_save(portal_settings_for(patient), actor=actor, released_analytes=released)
