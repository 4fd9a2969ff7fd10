"""The research export form: pseudonymise or not, one clinic or all the user's clinics."""

from django import forms


class ResearchExportForm(forms.Form):
    pseudonymise = forms.BooleanField(
        required=False,
        initial=True,
        label="Pseudonymise",
        help_text="Keyed pseudonyms instead of MRNs, dates shifted per patient, birth year only, no free text.",
    )
    clinic = forms.ChoiceField(required=False, label="Clinic")

    def __init__(self, *args, clinics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].choices = [("", "All my clinics")] + [(c.code, c.name) for c in clinics]


class FhirUploadForm(forms.Form):
    file = forms.FileField(label="FHIR Bundle (JSON)", help_text="A FHIR R4 Bundle, UTF-8 JSON.")

    def clean_file(self):
        from django.conf import settings

        from tracker.importers.reader import size_text

        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {size_text(upload.size)}, over the limit of {size_text(settings.IMPORT_MAX_BYTES)}; "
                "split it into smaller Bundles."
            )
        return upload
