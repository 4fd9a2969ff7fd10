"""The generic record pages serve every clinical entry the registry lists, with its own words,
and keep other clinics and patients out: one registry entry is all a new type needs here."""

import pytest
from django.urls import reverse

from tests.factories import (
    ClinicalEventFactory,
    ImagingLesionFactory,
    ImagingStudyFactory,
    LabResultFactory,
    MarrowBiopsyFactory,
    MedicationFactory,
    NerveConductionStudyFactory,
    ReferralFactory,
    SymptomReportFactory,
    TreatmentFactory,
    VisitFactory,
)
from tracker.record_types import RECORD_TYPES

FACTORIES = {
    "treatment": TreatmentFactory,
    "visit": VisitFactory,
    "imaging": ImagingStudyFactory,
    "symptoms": SymptomReportFactory,
    "lab": LabResultFactory,
    "ncs": NerveConductionStudyFactory,
    "marrow": MarrowBiopsyFactory,
    "event": ClinicalEventFactory,
    "lesion": ImagingLesionFactory,
    "medication": MedicationFactory,
    "referral": ReferralFactory,
}
ENTRIES = [rt for rt in RECORD_TYPES if rt.entry]
WITH_FORM = [rt for rt in ENTRIES if rt.form is not None]

pytestmark = pytest.mark.django_db


def test_every_clinical_entry_has_a_factory_here():
    assert {rt.kind for rt in ENTRIES} == set(FACTORIES)


@pytest.mark.parametrize("rt", WITH_FORM, ids=lambda rt: rt.kind)
def test_add_page_names_the_record_type(staff_client, patient, rt):
    page = staff_client.get(reverse("record_create", kwargs={"pk": patient.pk, "kind": rt.kind}))
    assert page.status_code == 200
    assert f"Add a {rt.noun}" in page.content.decode()


@pytest.mark.parametrize("rt", WITH_FORM, ids=lambda rt: rt.kind)
def test_add_page_is_404_for_another_clinic_and_403_for_a_patient(client, outsider_staff, patient_user, patient, rt):
    url = reverse("record_create", kwargs={"pk": patient.pk, "kind": rt.kind})
    client.force_login(outsider_staff)
    assert client.get(url).status_code == 404
    client.force_login(patient_user)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("rt", ENTRIES, ids=lambda rt: rt.kind)
def test_entered_in_error_and_history_pages_serve_every_entry(staff_client, staff_user, patient, rt):
    record = FACTORIES[rt.kind](patient=patient, actor=staff_user)
    error_page = staff_client.get(reverse("record_error", kwargs={"kind": rt.kind, "record_pk": record.pk}))
    assert error_page.status_code == 200 and rt.noun in error_page.content.decode()
    history = staff_client.get(reverse("record_history", kwargs={"kind": rt.kind, "record_pk": record.pk}))
    assert history.status_code == 200 and "nurse" in history.content.decode()


@pytest.mark.parametrize("rt", ENTRIES, ids=lambda rt: rt.kind)
def test_record_pages_are_404_for_staff_of_another_clinic(client, outsider_staff, staff_user, patient, rt):
    record = FACTORIES[rt.kind](patient=patient, actor=staff_user)
    client.force_login(outsider_staff)
    for name in ("record_error", "record_history"):
        assert client.get(reverse(name, kwargs={"kind": rt.kind, "record_pk": record.pk})).status_code == 404
