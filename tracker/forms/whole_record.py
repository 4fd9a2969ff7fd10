"""Staff forms for the rest of the follow-up record (bone marrow biopsies)."""

from django import forms

from tracker.forms.base import CrispyMixin
from tracker.models import MarrowBiopsy


class MarrowForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = MarrowBiopsy
        fields = ["biopsy_date", "plasma_cells_pct", "clonality", "method", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
