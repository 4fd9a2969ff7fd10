"""Imaging lesions: refused without a recorded study, bounds with units, the form page, CSV
import and the patient page."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import ImagingLesionFactory, ImagingStudyFactory
from tests.record_kinds import record_model
from tracker.services.whole_record import lesion_record

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 4)


def test_a_lesion_without_a_matching_study_is_refused(patient, staff_user, record_counts):
    ImagingStudyFactory(patient=patient, actor=staff_user, study_date=DAY, modality="ct")
    before = record_counts()
    with pytest.raises(ValidationError) as refused:
        lesion_record(patient=patient, actor=staff_user, study_date=DAY, modality="pet_ct", site="L3")
    assert refused.value.message_dict["study_date"] == [
        "No PET-CT study on 2025-03-04 is recorded for this patient; record the imaging study first."
    ]
    assert record_counts() == before


def test_size_and_suv_bounds_name_range_and_unit(patient, staff_user):
    ImagingStudyFactory(patient=patient, actor=staff_user, study_date=DAY, modality="pet_ct")
    with pytest.raises(ValidationError) as refused:
        lesion_record(
            patient=patient,
            actor=staff_user,
            study_date=DAY,
            modality="pet_ct",
            site="L3",
            size_mm=Decimal("600"),
            suv_max=Decimal("-1"),
        )
    errors = refused.value.message_dict
    assert errors["size_mm"] == ["Lesion size must be between 0.0 and 500.0 mm."]
    assert errors["suv_max"] == ["SUVmax must be between 0.0 and 100.0 (standardised uptake value)."]


def test_a_lesion_is_linked_to_its_study_and_shown(staff_client, staff_user, patient):
    study = ImagingStudyFactory(patient=patient, actor=staff_user, study_date=DAY, modality="pet_ct")
    url = reverse("record_create", kwargs={"pk": patient.pk, "kind": "lesion"})
    response = staff_client.post(
        url,
        {
            "study_date": "2025-03-04",
            "modality": "pet_ct",
            "site": "Right iliac bone",
            "appearance": "sclerotic",
            "size_mm": "22",
            "suv_max": "5.1",
            "lesion_status": "new",
        },
    )
    assert response.status_code == 302
    lesion = record_model("lesion").objects.get(patient=patient)
    assert lesion.study == study
    detail = staff_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert f'id="lesion-{lesion.pk}"' in detail and "Right iliac bone" in detail and "22.0 mm" in detail


def test_history_keeps_each_version(staff_user, patient):
    lesion = ImagingLesionFactory(patient=patient, actor=staff_user)
    assert lesion.history.count() == 1 and lesion.study is not None


def test_csv_import_refuses_a_lesion_without_its_study(run_import, registered):
    assert run_import("imaging", "mrn,study_date,modality\nIMP-001,2024-02-01,pet_ct\n").ok
    header = "mrn,study_date,modality,site,appearance,size_mm,suv_max,status\n"
    bad = run_import(
        "lesions",
        header + "IMP-001,2024-02-01,pet_ct,L3,sclerotic,18,4.2,known\nIMP-001,2024-02-02,pet_ct,T9,lytic,,,new\n",
    )
    assert not bad.ok
    assert (
        "row 2, column study_date: No PET-CT study on 2024-02-02 is recorded for this patient; "
        "record the imaging study first." in bad.err
    )
    assert not record_model("lesion").objects.exists()
    good = header + "IMP-001,2024-02-01,pet_ct,L3,sclerotic,18,4.2,known\n"
    assert "1 created" in run_import("lesions", good).out
    again = run_import("lesions", good)
    assert again.ok and "0 created, 1 unchanged" in again.out
