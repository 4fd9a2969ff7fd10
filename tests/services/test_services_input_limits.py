"""Input at the edges: absurd magnitudes, dates in the future, an import that crashes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.record_kinds import record_model
from tracker.models import ImportRun
from tracker.services.labs import lab_result_record
from tracker.services.records import visit_record


def test_a_value_of_1e25_is_refused_with_the_range_not_a_server_error(patient, actor):
    with pytest.raises(ValidationError) as refused:
        lab_result_record(
            patient=patient,
            actor=actor,
            analyte="vegf",
            specimen="serum",
            collected_on=datetime.date(2025, 1, 1),
            value="1e25",
        )
    assert "plausible range for Serum VEGF: 0 to 50,000 pg/mL" in " ".join(refused.value.messages)
    assert not record_model("lab").objects.exists()


def test_a_reference_limit_too_large_to_store_is_refused_naming_the_field(patient, actor):
    with pytest.raises(ValidationError) as refused:
        lab_result_record(
            patient=patient,
            actor=actor,
            analyte="platelets",
            collected_on=datetime.date(2025, 1, 1),
            value="300",
            ref_high="1e30",
        )
    assert "ref_high" in refused.value.message_dict
    assert not record_model("lab").objects.exists()


@pytest.mark.parametrize("days", [1, 3650])
def test_a_result_dated_in_the_future_is_refused(patient, actor, days):
    future = datetime.date.today() + datetime.timedelta(days=days)
    with pytest.raises(ValidationError) as refused:
        lab_result_record(patient=patient, actor=actor, analyte="platelets", collected_on=future, value="300")
    assert "in the future" in refused.value.message_dict["collected_on"][0]
    with pytest.raises(ValidationError):
        visit_record(patient=patient, actor=actor, visit_date=future, onls_arm=1, onls_leg=1)
    assert not record_model("visit").objects.exists()


def test_a_date_before_1900_is_refused(patient, actor):
    with pytest.raises(ValidationError) as refused:
        visit_record(patient=patient, actor=actor, visit_date=datetime.date(1899, 12, 31))
    assert "before 1900-01-01" in refused.value.message_dict["visit_date"][0]


def test_an_import_that_crashes_is_marked_failed_and_lets_go_of_the_file(staff_client, patient, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tracker.importers import engine

    def explode(self, states):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(engine.Importer, "_chunk", explode)
    upload = SimpleUploadedFile("labs.csv", b"mrn,collected_on,analyte,value\nP001,2025-01-01,platelets,300\n")
    # The check runs as a task: the crash fails the task (recorded by the queue), not the request.
    response = staff_client.post(reverse("import_start"), {"kind": "labs", "file": upload})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("import_run", args=[run.pk])
    assert run.status == "failed" and run.file_bytes is None
    assert not record_model("lab").objects.exists()
