"""The form a consultant uses to change one item of a patient's follow-up plan."""

from django import forms

from tracker.forms.base import CrispyMixin
from tracker.rules.schedule import MAX_INTERVAL_M


class PlanItemForm(CrispyMixin, forms.Form):
    enabled = forms.BooleanField(required=False, label="Scheduled for this patient")
    interval_months = forms.IntegerField(
        required=False,
        label="Interval in surveillance (months)",
        help_text=f"1 to {MAX_INTERVAL_M} months; empty keeps the clinic's or the spec's intervals. "
        "During treatment and response assessment the protocol's intervals apply.",
    )
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Required when switching the item off."
    )
