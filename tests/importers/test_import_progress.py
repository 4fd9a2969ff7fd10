"""Web imports run as tasks: the check and the saving publish rows handled per chunk, and the
run's page polls them; no request waits for the rows."""

import datetime
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.record_kinds import record_model
from tracker import tasks
from tracker.models import ImportRun

STREAM = {"HTTP_X_IMPORT_PROGRESS": "ndjson"}


@pytest.fixture(autouse=True)
def fresh_progress():
    """Run ids repeat between tests (rolled back), so each test starts with no progress kept."""
    tasks.caches["progress"].clear()


def _labs_csv(rows: int) -> bytes:
    lines = ["mrn,collected_on,analyte,value,specimen"]
    first = datetime.date(2015, 1, 1)
    lines += [f"P001,{first + datetime.timedelta(days=i)},platelets,{200 + i % 50}," for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _upload(client, rows: int):
    upload = SimpleUploadedFile("many.csv", _labs_csv(rows), content_type="text/csv")
    response = client.post(reverse("import_start"), {"kind": "labs", "file": upload})
    run = ImportRun.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == reverse("import_run", args=[run.pk])
    return run


class Published:
    """Records every progress value the tasks publish."""

    def __init__(self):
        self.values = []
        self.real_set = tasks.caches["progress"].set

    def __enter__(self):
        def record(key, value, *args):
            self.values.append(value)
            return self.real_set(key, value, *args)

        self.patch = mock.patch.object(tasks.caches["progress"], "set", record)
        self.patch.start()
        return self

    def __exit__(self, *exc):
        self.patch.stop()


def _post_stream(client, url, data=None):
    return client.post(url, data or {}, **STREAM)


def test_check_is_queued_publishes_progress_per_chunk_then_previews(staff_client, patient):
    with Published() as published:
        run = _upload(staff_client, 2500)
    assert published.values == [1000, 2000, 2500]
    run.refresh_from_db()
    assert run.status == "previewed" and run.created_count == 2500
    assert record_model("lab").objects.count() == 0  # the check saves nothing
    progress = staff_client.get(reverse("import_progress", args=[run.pk])).json()
    assert progress == {"status": "previewed", "rows": 2500, "total": 2500, "done": True}


def test_confirm_is_queued_and_its_progress_is_polled(staff_client, patient):
    run = _upload(staff_client, 1200)
    with Published() as published:
        response = staff_client.post(reverse("import_confirm", args=[run.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("import_run", args=[run.pk])
    assert published.values == [1000, 1200]  # the task published its progress per chunk of rows
    progress = staff_client.get(reverse("import_progress", args=[run.pk])).json()
    assert progress == {"status": "imported", "rows": 1200, "total": 1200, "done": True}
    run.refresh_from_db()
    assert run.status == "imported" and record_model("lab").objects.count() == 1200


def test_a_running_import_page_polls_its_progress(staff_client, patient):
    run = _upload(staff_client, 10)
    ImportRun.objects.filter(pk=run.pk).update(status="running")
    tasks.caches["progress"].set(tasks.progress_key(run.pk), 7)
    page = staff_client.get(reverse("import_run", args=[run.pk])).content.decode()
    assert reverse("import_progress", args=[run.pk]) in page and "Saving" in page
    progress = staff_client.get(reverse("import_progress", args=[run.pk])).json()
    assert progress == {"status": "running", "rows": 7, "total": 10, "done": False}


def test_an_unchecked_upload_shows_the_check_progress_of_about_its_line_count(staff_client, patient, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    run = _upload(staff_client, 30)
    page = staff_client.get(reverse("import_run", args=[run.pk])).content.decode()
    assert "Checking the file in the background" in page
    progress = staff_client.get(reverse("import_progress", args=[run.pk])).json()
    assert progress == {"status": "running", "rows": 0, "total": 30, "done": False}


def test_an_invalid_form_is_refused_so_the_page_posts_it_normally(staff_client, patient):
    response = _post_stream(staff_client, reverse("import_start"), {"kind": "labs"})
    assert response.status_code == 400
    assert not ImportRun.objects.exists()


def test_a_second_confirm_is_not_queued_twice(staff_client, patient):
    run = _upload(staff_client, 3)
    assert _post_stream(staff_client, reverse("import_confirm", args=[run.pk])).status_code == 302
    again = _post_stream(staff_client, reverse("import_confirm", args=[run.pk]))
    assert again.status_code == 302
    assert record_model("lab").objects.count() == 3


def test_the_check_and_confirm_tasks_are_idempotent(staff_client, patient, staff_user):
    run = _upload(staff_client, 3)
    assert tasks.import_check_task.call(run.pk, staff_user.pk) == {"run": run.pk, "skipped": "previewed"}
    staff_client.post(reverse("import_confirm", args=[run.pk]))
    retried = tasks.import_confirm_task.call(run.pk, staff_user.pk)  # a retry after the run finished
    assert retried == {"run": run.pk, "skipped": "imported"}
    assert record_model("lab").objects.count() == 3
