"""Staff forms for the rest of the follow-up record (bone marrow biopsies, clinical events,
imaging lesions, medications and referrals)."""

from django import forms

from tracker.forms.base import CrispyMixin
from tracker.models import ClinicalEvent, ImagingLesion, MarrowBiopsy, Medication, Referral


class MarrowForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = MarrowBiopsy
        fields = ["biopsy_date", "plasma_cells_pct", "clonality", "method", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class EventForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = ClinicalEvent
        fields = ["event", "onset_date", "resolved_on", "grade", "ctcae_term", "treatment_related", "cause", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class LesionForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = ImagingLesion
        fields = ["study_date", "modality", "site", "appearance", "size_mm", "suv_max", "lesion_status"]


class MedicationForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Medication
        fields = [
            "drug",
            "drug_name",
            "purpose",
            "dose",
            "dose_unit",
            "frequency",
            "start_date",
            "stop_date",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class ReferralForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["service", "service_name", "referred_on", "referral_status", "status_on", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
