"""Examination at a visit: MRC sum score bounds, the new optional visits CSV columns, the page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.record_kinds import record_model
from tracker.services.records import visit_record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("score", [61, -1])
def test_mrc_sum_outside_0_to_60_is_refused(patient, staff_user, record_counts, score):
    before = record_counts()
    with pytest.raises(ValidationError) as refused:
        visit_record(patient=patient, actor=staff_user, visit_date=datetime.date(2025, 1, 2), mrc_sum=score)
    assert "MRC sum score must be between 0 and 60 points." in refused.value.message_dict["mrc_sum"]
    assert record_counts() == before


def test_visits_csv_takes_the_examination_columns(run_import, registered):
    header = "mrn,visit_date,mrc_sum,vibration_sense,reflexes,oedema,skin_changes,organomegaly,papilloedema\n"
    result = run_import("visits", header + "IMP-001,2024-05-02,52,reduced,absent,true,true,false,\n")
    assert result.ok, result.err
    visit = record_model("visit").objects.get()
    assert (visit.mrc_sum, visit.vibration_sense, visit.reflexes) == (52, "reduced", "absent")
    assert (visit.oedema, visit.skin_changes, visit.organomegaly, visit.papilloedema) == (True, True, False, None)
    bad = run_import("visits", header + "IMP-001,2024-06-02,70,,,,,,\n")
    assert "row 1, column mrc_sum: MRC sum score must be between 0 and 60 points." in bad.err


def test_the_visit_form_records_the_examination(staff_client, patient):
    url = reverse("record_create", kwargs={"pk": patient.pk, "kind": "visit"})
    response = staff_client.post(
        url, {"visit_date": "2025-01-02", "mrc_sum": "54", "vibration_sense": "reduced", "reflexes": "absent"}
    )
    assert response.status_code == 302
    detail = staff_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "MRC 54/60 vibration reduced reflexes absent" in detail
