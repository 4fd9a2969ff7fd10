"""The import page's streamed progress: one JSON line per chunk of rows, then the next page."""

import datetime
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.record_kinds import record_model
from tracker.models import ImportRun

STREAM = {"HTTP_X_IMPORT_PROGRESS": "ndjson"}


def _labs_csv(rows: int) -> bytes:
    lines = ["mrn,collected_on,analyte,value,specimen"]
    first = datetime.date(2015, 1, 1)
    lines += [f"P001,{first + datetime.timedelta(days=i)},platelets,{200 + i % 50}," for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _steps(response) -> list[dict]:
    assert response["Content-Type"] == "application/x-ndjson"
    return [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]


def _post_stream(client, url, data=None):
    return client.post(url, data or {}, **STREAM)


def test_check_streams_progress_per_chunk_then_the_preview_url(staff_client, patient):
    upload = SimpleUploadedFile("many.csv", _labs_csv(2500), content_type="text/csv")
    steps = _steps(_post_stream(staff_client, reverse("import_start"), {"kind": "labs", "file": upload}))
    assert steps[0] == {"rows": 0, "total": 2500}
    assert [s["rows"] for s in steps[1:-1]] == [1000, 2000, 2500]
    run = ImportRun.objects.get()
    assert steps[-1] == {"done": True, "url": reverse("import_run", args=[run.pk])}
    assert run.status == "previewed" and run.created_count == 2500
    assert record_model("lab").objects.count() == 0  # the check saves nothing


def test_confirm_streams_progress_and_saves(staff_client, patient):
    upload = SimpleUploadedFile("many.csv", _labs_csv(1200), content_type="text/csv")
    _steps(_post_stream(staff_client, reverse("import_start"), {"kind": "labs", "file": upload}))
    run = ImportRun.objects.get()
    steps = _steps(_post_stream(staff_client, reverse("import_confirm", args=[run.pk])))
    assert [s.get("rows") for s in steps[:-1]] == [0, 1000, 1200]
    assert steps[-1]["done"] is True
    run.refresh_from_db()
    assert run.status == "imported" and record_model("lab").objects.count() == 1200


def test_an_invalid_form_is_refused_so_the_page_posts_it_normally(staff_client, patient):
    response = _post_stream(staff_client, reverse("import_start"), {"kind": "labs"})
    assert response.status_code == 400
    assert not ImportRun.objects.exists()


def test_a_second_confirm_is_not_streamed_twice(staff_client, patient):
    upload = SimpleUploadedFile("few.csv", _labs_csv(3), content_type="text/csv")
    _steps(_post_stream(staff_client, reverse("import_start"), {"kind": "labs", "file": upload}))
    run = ImportRun.objects.get()
    _steps(_post_stream(staff_client, reverse("import_confirm", args=[run.pk])))
    again = _post_stream(staff_client, reverse("import_confirm", args=[run.pk]))
    assert again.status_code == 302
    assert record_model("lab").objects.count() == 3
