"""Every record type has a factory that makes a valid, audited record in one line."""

import pytest

from tests.factories import (
    ClinicalEventFactory,
    DiagnosticChecklistFactory,
    EngraftmentSyndromeFactory,
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

FACTORIES = (
    TreatmentFactory,
    VisitFactory,
    ImagingStudyFactory,
    SymptomReportFactory,
    LabResultFactory,
    NerveConductionStudyFactory,
    DiagnosticChecklistFactory,
    EngraftmentSyndromeFactory,
    MarrowBiopsyFactory,
    ClinicalEventFactory,
    ImagingLesionFactory,
    MedicationFactory,
    ReferralFactory,
)


def test_every_clinical_entry_type_has_a_factory():
    made_by_factories = {f._meta.model for f in FACTORIES}
    entries = {rt.model for rt in RECORD_TYPES if rt.entry or rt.kind in ("checklist", "engraftment")}
    assert entries - made_by_factories == set()


@pytest.mark.django_db
@pytest.mark.parametrize("factory_class", FACTORIES, ids=lambda f: f.__name__)
def test_factory_saves_a_valid_record_with_its_history(factory_class):
    first, second = factory_class(), factory_class()
    assert first.pk and second.pk and first.pk != second.pk
    assert first.history.count() == 1
    first.full_clean()


@pytest.mark.django_db
def test_lab_factory_converts_the_typed_value_like_the_form_does():
    result = LabResultFactory(analyte="hemoglobin", value="13.5", unit="g/dL", specimen="")
    assert (result.value_canonical, result.unit_canonical, result.unit_as_entered) == (135, "g/L", "g/dL")


@pytest.mark.django_db
def test_ncs_factory_saves_its_rows():
    study = NerveConductionStudyFactory()
    assert [r.nerve for r in study.results.all()] == ["peroneal"]
