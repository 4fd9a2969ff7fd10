"""The FHIR import web page's steps: check an upload (dry run), confirm it, or discard it.

Every step runs the real import (`fhir_import`) for the patients and clinics the user may
touch, so what the preview shows is what the confirmation saves.
"""

from __future__ import annotations

from django.utils import timezone

from tracker.access import patients_visible_to
from tracker.interop.fhir_import import FhirImportResult, fhir_import
from tracker.models import FhirUpload, FhirUploadStatus, ImportSource


def _run(upload: FhirUpload, *, dry_run: bool) -> FhirImportResult:
    return fhir_import(
        bytes(upload.file_bytes or b""),
        actor=upload.actor,
        dry_run=dry_run,
        file_name=upload.file_name,
        source=ImportSource.WEB,
        patients=patients_visible_to(upload.actor),
        clinics=list(upload.actor.clinics.all()),
    )


def _record(upload: FhirUpload, result: FhirImportResult, status: str) -> FhirUpload:
    upload.counts = result.counts
    upload.problems = [str(problem) for problem in result.problems[:500]]
    upload.status = status if result.ok else FhirUploadStatus.FAILED
    if upload.status != FhirUploadStatus.PREVIEWED:
        upload.file_bytes = None
    upload.finished_at = timezone.now()
    upload.save()
    return upload


def fhir_upload_check(*, actor, file_name: str, data: bytes) -> FhirUpload:
    upload = FhirUpload.objects.create(actor=actor, file_name=file_name[:255], file_size=len(data), file_bytes=data)
    return _record(upload, _run(upload, dry_run=True), FhirUploadStatus.PREVIEWED)


def fhir_upload_confirm(upload: FhirUpload) -> FhirUpload:
    if upload.status != FhirUploadStatus.PREVIEWED:
        return upload
    return _record(upload, _run(upload, dry_run=False), FhirUploadStatus.IMPORTED)


def fhir_upload_discard(upload: FhirUpload) -> FhirUpload:
    if upload.status == FhirUploadStatus.PREVIEWED:
        upload.status, upload.file_bytes, upload.finished_at = FhirUploadStatus.DISCARDED, None, timezone.now()
        upload.save(update_fields=["status", "file_bytes", "finished_at"])
    return upload
