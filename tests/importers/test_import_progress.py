"""The import page's streamed progress: one JSON line per chunk of rows, then the next page."""

import datetime
import json
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tracker import tasks
from tracker.models import ImportRun, LabResult

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
    assert LabResult.objects.count() == 0  # the check saves nothing


def test_confirm_is_queued_and_its_progress_is_polled(staff_client, patient):
    upload = SimpleUploadedFile("many.csv", _labs_csv(1200), content_type="text/csv")
    _steps(_post_stream(staff_client, reverse("import_start"), {"kind": "labs", "file": upload}))
    run = ImportRun.objects.get()
    published = []
    real_set = tasks.caches["progress"].set

    def record(key, value, *args):
        published.append(value)
        return real_set(key, value, *args)

    with mock.patch.object(tasks.caches["progress"], "set", record):
        response = _post_stream(staff_client, reverse("import_confirm", args=[run.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("import_run", args=[run.pk])
    assert published == [1000, 1200]  # the task published its progress per chunk of rows
    progress = staff_client.get(reverse("import_progress", args=[run.pk])).json()
    assert progress == {"status": "imported", "rows": 1200, "total": 1200, "done": True}
    run.refresh_from_db()
    assert run.status == "imported" and LabResult.objects.count() == 1200


def test_a_running_import_page_polls_its_progress(staff_client, patient):
    upload = SimpleUploadedFile("many.csv", _labs_csv(10), content_type="text/csv")
    _steps(_post_stream(staff_client, reverse("import_start"), {"kind": "labs", "file": upload}))
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(status="running")
    tasks.caches["progress"].set(tasks.progress_key(run.pk), 7)
    page = staff_client.get(reverse("import_run", args=[run.pk])).content.decode()
    assert reverse("import_progress", args=[run.pk]) in page and "in the background" in page
    progress = staff_client.get(reverse("import_progress", args=[run.pk])).json()
    assert progress == {"status": "running", "rows": 7, "total": 10, "done": False}


def test_an_invalid_form_is_refused_so_the_page_posts_it_normally(staff_client, patient):
    response = _post_stream(staff_client, reverse("import_start"), {"kind": "labs"})
    assert response.status_code == 400
    assert not ImportRun.objects.exists()


def test_a_second_confirm_is_not_queued_twice(staff_client, patient):
    upload = SimpleUploadedFile("few.csv", _labs_csv(3), content_type="text/csv")
    _steps(_post_stream(staff_client, reverse("import_start"), {"kind": "labs", "file": upload}))
    run = ImportRun.objects.get()
    assert _post_stream(staff_client, reverse("import_confirm", args=[run.pk])).status_code == 302
    again = _post_stream(staff_client, reverse("import_confirm", args=[run.pk]))
    assert again.status_code == 302
    assert LabResult.objects.count() == 3


def test_the_confirm_task_is_idempotent(staff_client, patient, staff_user):
    upload = SimpleUploadedFile("few.csv", _labs_csv(3), content_type="text/csv")
    _steps(_post_stream(staff_client, reverse("import_start"), {"kind": "labs", "file": upload}))
    run = ImportRun.objects.get()
    staff_client.post(reverse("import_confirm", args=[run.pk]))
    retried = tasks.import_confirm_task.call(run.pk, staff_user.pk)  # a retry after the run finished
    assert retried == {"run": run.pk, "skipped": "imported"}
    assert LabResult.objects.count() == 3
