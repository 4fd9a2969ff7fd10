"""Bone marrow biopsies end to end: service bounds, the form page, CSV import, history,
entered in error, the patient page and the timeline marker."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import MarrowBiopsyFactory
from tests.record_kinds import record_model
from tracker.services.whole_record import marrow_record

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 4)


def test_a_percentage_over_100_is_refused_naming_field_range_and_unit(patient, staff_user, record_counts):
    before = record_counts()
    with pytest.raises(ValidationError) as refused:
        marrow_record(patient=patient, actor=staff_user, biopsy_date=DAY, plasma_cells_pct=Decimal("100.5"))
    assert refused.value.message_dict["plasma_cells_pct"] == ["Plasma cells must be between 0.0 and 100.0 percent."]
    assert record_counts() == before


def test_a_second_biopsy_on_the_same_day_is_refused(patient, staff_user):
    MarrowBiopsyFactory(patient=patient, actor=staff_user, biopsy_date=DAY)
    with pytest.raises(ValidationError, match="already recorded"):
        marrow_record(patient=patient, actor=staff_user, biopsy_date=DAY)


def test_the_form_saves_and_the_patient_page_and_timeline_show_it(staff_client, patient):
    url = reverse("record_create", kwargs={"pk": patient.pk, "kind": "marrow"})
    page = staff_client.get(url)
    assert "Add a bone marrow biopsy" in page.content.decode()
    response = staff_client.post(
        url,
        {
            "biopsy_date": "2025-03-04",
            "plasma_cells_pct": "6.5",
            "clonality": "lambda",
            "method": "trephine, CD138",
            "notes": "Lambda-restricted plasma cells, 6.5 %.",
        },
    )
    assert response.status_code == 302
    biopsy = record_model("marrow").objects.get(patient=patient)
    assert biopsy.plasma_cells_pct == Decimal("6.5") and biopsy.created_by is not None
    detail = staff_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert f'id="marrow-{biopsy.pk}"' in detail and "Lambda-restricted" in detail
    assert "Bone marrow biopsy: 6.5 % plasma cells, lambda-restricted" in detail


def test_the_form_refuses_over_100_and_saves_nothing(staff_client, patient):
    url = reverse("record_create", kwargs={"pk": patient.pk, "kind": "marrow"})
    page = staff_client.post(url, {"biopsy_date": "2025-03-04", "plasma_cells_pct": "120"})
    assert page.status_code == 200
    assert "Plasma cells must be between 0.0 and 100.0 percent." in page.content.decode()
    assert not record_model("marrow").objects.exists()


def test_entered_in_error_leaves_the_timeline_and_keeps_the_history(staff_client, staff_user, patient):
    biopsy = MarrowBiopsyFactory(patient=patient, actor=staff_user, biopsy_date=DAY)
    response = staff_client.post(
        reverse("record_error", kwargs={"kind": "marrow", "record_pk": biopsy.pk}), {"reason": "wrong patient"}
    )
    assert response.status_code == 302
    biopsy.refresh_from_db()
    assert biopsy.is_entered_in_error and biopsy.history.count() == 2
    detail = staff_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "Bone marrow biopsy: 4 % plasma cells" not in detail


def test_csv_import_is_all_or_nothing_and_idempotent(run_import, registered):
    header = "mrn,biopsy_date,plasma_cells_pct,clonality,method,notes\n"
    bad = run_import("marrow", header + "IMP-001,2024-02-01,8,lambda,trephine,\nIMP-001,2024-06-01,101,kappa,,\n")
    assert not bad.ok
    assert "row 2, column plasma_cells_pct: Plasma cells must be between 0.0 and 100.0 percent." in bad.err
    assert not record_model("marrow").objects.exists()
    good = header + "IMP-001,2024-02-01,8,lambda,trephine,Lambda-restricted\n"
    first = run_import("marrow", good)
    assert first.ok, first.err
    assert "1 created" in first.out
    second = run_import("marrow", good)
    assert second.ok and "0 created, 1 unchanged" in second.out
