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
