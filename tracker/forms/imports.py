"""The CSV upload form, and the upload handler that keeps the file off the local disk."""

import io

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers

from tracker.forms.base import CrispyMixin
from tracker.importers.reader import size_text
from tracker.models import ImportKind


class CsvMemoryUploadHandler(FileUploadHandler):
    """Keep an upload in memory up to IMPORT_MAX_BYTES, then only count its bytes.

    Django's default handler spools large uploads to a temporary file; app servers here keep
    no data on local disk, and a file over the limit is refused anyway, so its bytes are
    dropped as they arrive and the form reports its size.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer, self.received = io.BytesIO(), 0
        raise StopFutureHandlers

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received <= settings.IMPORT_MAX_BYTES:
            self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self.received > settings.IMPORT_MAX_BYTES:
            self.buffer = io.BytesIO()
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer, self.field_name, self.file_name, self.content_type, file_size, self.charset
        )


class ImportUploadForm(CrispyMixin, forms.Form):
    kind = forms.ChoiceField(label="What the file holds", choices=ImportKind.choices)
    file = forms.FileField(
        label="CSV file",
        help_text=f"UTF-8, comma-separated, the first row naming the columns; at most "
        f"{size_text(settings.IMPORT_MAX_BYTES)}.",
    )
    update_existing = forms.BooleanField(
        label="Update records already recorded with different values",
        required=False,
        help_text="Without this, such rows are shown as errors. The earlier version stays in each record's history.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                f"The file is {size_text(upload.size)}, over the limit of "
                f"{size_text(settings.IMPORT_MAX_BYTES)}; split it into smaller files."
            )
        return upload
