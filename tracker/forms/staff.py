"""Forms for the staff pages. Field rules live on the models and in the catalogue; these
forms only shape the input."""

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.layout import Fieldset, Layout
from django import forms

from tracker import catalogue
from tracker.forms.base import CrispyMixin, ReportNumberField, SafeInputMixin, multi_choice
from tracker.forms.units import keep_typed_unit, unit_field
from tracker.models import (
    Clinic,
    DiagnosticChecklist,
    EngraftmentSyndrome,
    ImagingStudy,
    NerveConductionResult,
    NerveConductionStudy,
    Patient,
    SymptomReport,
    Treatment,
    Visit,
)
from tracker.models.patients import ENDOCRINOPATHY, ORGANOMEGALY, OTHER_SIGNS, SKIN_CHANGES, VOLUME_OVERLOAD
from tracker.models.symptoms import SYMPTOM_CODES
from tracker.models.treatments import AGENTS, ENGRAFTMENT_FEATURES, TreatmentCategory


class PatientForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Patient
        fields = [
            "mrn",
            "given_name",
            "family_name",
            "birth_date",
            "sex",
            "clinic",
            "diagnosis_date",
            "light_chain",
            "report_interval_days",
        ]

    def __init__(self, *args, clinics=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = clinics if clinics is not None else Clinic.objects.all()
        if self.fields["clinic"].queryset.count() == 1:
            self.fields["clinic"].initial = self.fields["clinic"].queryset.first()


class ChecklistForm(CrispyMixin, forms.ModelForm):
    organomegaly_sites = multi_choice(ORGANOMEGALY, "Organomegaly: where")
    volume_overload_sites = multi_choice(VOLUME_OVERLOAD, "Volume overload: which")
    endocrine_axes = multi_choice(ENDOCRINOPATHY, "Endocrinopathy: which axes")
    skin_findings = multi_choice(SKIN_CHANGES, "Skin changes: which")
    other_signs = multi_choice(OTHER_SIGNS, "Other signs (not scored)")

    class Meta:
        model = DiagnosticChecklist
        fields = [
            "polyradiculoneuropathy",
            "clonal_plasma_cell_disorder",
            "castleman_disease",
            "sclerotic_bone_lesions",
            "vegf_elevated",
            "organomegaly",
            "organomegaly_sites",
            "extravascular_volume_overload",
            "volume_overload_sites",
            "endocrinopathy",
            "endocrine_axes",
            "skin_changes",
            "skin_findings",
            "papilloedema",
            "thrombocytosis_or_polycythaemia",
            "other_signs",
            "castleman_variant_no_clonal_pcd",
            "notes",
        ]


# The categories whose treatments are given as a drug with a dose and schedule. Each section
# of the treatment form names the categories it belongs to (data-categories); entry.js hides
# it for any other category unless it holds a value or an error. Without script all show.
DOSED_CATEGORIES = [
    category
    for category in TreatmentCategory.values
    if category not in (TreatmentCategory.RADIOTHERAPY, TreatmentCategory.ASCT)
]


class TreatmentForm(CrispyMixin, forms.ModelForm):
    agents = multi_choice(AGENTS, "Agents")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Fieldset(
                "Treatment",
                "category",
                "regimen",
                InlineCheckboxes("agents"),
                "intent",
                "line",
                "start_date",
                "end_date",
                "anchor_date",
            ),
            Fieldset(
                "Dosing (drug treatments)",
                "dose",
                "dose_unit",
                "frequency",
                "cycles_planned",
                "cycles_given",
                data_categories=" ".join(DOSED_CATEGORIES),
            ),
            Fieldset("Radiotherapy only", "total_dose_gy", "fractions", data_categories=TreatmentCategory.RADIOTHERAPY),
            Fieldset(
                "ASCT only",
                "mobilisation",
                "melphalan_mg_m2",
                "cd34_dose_e6_per_kg",
                "infusion_date",
                "neutrophil_engraftment_date",
                data_categories=TreatmentCategory.ASCT,
            ),
            "notes",
        )

    class Meta:
        model = Treatment
        fields = [
            "category",
            "regimen",
            "agents",
            "intent",
            "line",
            "start_date",
            "end_date",
            "anchor_date",
            "dose",
            "dose_unit",
            "frequency",
            "cycles_planned",
            "cycles_given",
            "total_dose_gy",
            "fractions",
            "mobilisation",
            "melphalan_mg_m2",
            "cd34_dose_e6_per_kg",
            "infusion_date",
            "neutrophil_engraftment_date",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class EngraftmentForm(CrispyMixin, forms.ModelForm):
    features = multi_choice(ENGRAFTMENT_FEATURES, "Features")

    class Meta:
        model = EngraftmentSyndrome
        fields = ["present", "onset_date", "features", "steroids_given", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class VisitForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Visit
        fields = [
            "visit_date",
            "onls_arm",
            "onls_leg",
            "uses_afo",
            "incat_arm",
            "incat_leg",
            "mrs",
            "ecog",
            "pain_nrs",
            "weight_kg",
            "mrc_sum",
            "vibration_sense",
            "reflexes",
            "oedema",
            "skin_changes",
            "organomegaly",
            "papilloedema",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ImagingForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = ImagingStudy
        fields = ["study_date", "modality", "response_category", "new_lesion", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class SymptomReportForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = SymptomReport
        fields = ["reported_on", *SYMPTOM_CODES, "weight_kg", "other_symptoms"]
        widgets = {"other_symptoms": forms.Textarea(attrs={"rows": 2})}


class EnteredInErrorForm(CrispyMixin, forms.Form):
    reason = forms.CharField(
        label="Why is this entered in error?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The record stays in the history with this reason; it leaves charts and rules.",
    )


class LabResultForm(CrispyMixin, forms.Form):
    """One result of any analyte. The value may lead with '<' or '>'."""

    analyte = forms.ChoiceField(choices=catalogue.ANALYTE_CHOICES)
    specimen = forms.ChoiceField(choices=[("", "Usual for the analyte"), *catalogue.SPECIMENS], required=False)
    collected_on = forms.DateField()
    value = forms.CharField(
        max_length=30,
        help_text="A number, optionally with '<' or '>' (e.g. <5); 1,250 and 1250 are the same. "
        "Immunofixation: negative, positive or equivocal.",
    )
    unit = unit_field()
    ref_low = ReportNumberField(label="Reference low (as on the report)", required=False)
    ref_high = ReportNumberField(label="Reference high (as on the report)", required=False)
    detail = forms.CharField(max_length=40, required=False, help_text="Paraprotein type, e.g. IgA-lambda.")
    lab = forms.CharField(max_length=80, required=False)
    assay = forms.CharField(max_length=80, required=False)
    confounders = multi_choice(catalogue.CONFOUNDERS, "Confounders (VEGF)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            keep_typed_unit(self.fields["unit"], self.data.get("unit", ""))


PANELS = {
    "fbc": ("Full blood count", [("hemoglobin", ""), ("hematocrit", ""), ("platelets", ""), ("wbc", "")]),
    "vegf": (
        "VEGF, paraprotein and light chains",
        [
            ("vegf", "serum"),
            ("m_protein", "serum"),
            ("ife", "serum"),
            ("flc_kappa", ""),
            ("flc_lambda", ""),
            ("flc_ratio", ""),
        ],
    ),
}


class LabPanelForm(CrispyMixin, forms.Form):
    """Several results drawn together; one row per analyte, blank rows are skipped."""

    collected_on = forms.DateField()
    lab = forms.CharField(max_length=80, required=False)
    assay = forms.CharField(max_length=80, required=False)

    def __init__(self, *args, panel: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collected_on"].widget.attrs.update({"class": "form-control", "required": True})
        self.panel = panel
        self.title, analytes = PANELS[panel]
        self.rows = []
        for code, specimen in analytes:
            analyte = catalogue.get_analyte(code)
            spec = catalogue.get_spec(code, specimen or analyte.default_specimen)
            prefix = code
            if spec.categorical:
                self.fields[f"{prefix}-value"] = forms.ChoiceField(
                    label=spec.label, choices=[("", "not done"), *catalogue.IFE_CATEGORIES[:3]], required=False
                )
                self.fields[f"{prefix}-detail"] = forms.CharField(
                    label="Paraprotein type", required=False, max_length=40
                )
            else:
                # A specimen choice only where the specimens share their units (serum or plasma
                # VEGF); urine M-protein, in other units, has its own single-result form.
                choose_specimen = len({tuple(s.units) for s in analyte.specs.values()}) == 1
                label = analyte.label if choose_specimen and len(analyte.specs) > 1 else spec.label
                self.fields[f"{prefix}-value"] = forms.CharField(label=label, required=False, max_length=30)
                self.fields[f"{prefix}-unit"] = forms.ChoiceField(
                    label="Unit",
                    choices=[(u, catalogue.display_unit(u) or u) for u in spec.units],
                    initial=spec.canonical_unit,
                )
                self.fields[f"{prefix}-ref_low"] = ReportNumberField(label="Ref. low (same unit)", required=False)
                self.fields[f"{prefix}-ref_high"] = ReportNumberField(label="Ref. high (same unit)", required=False)
            if not spec.categorical and len(analyte.specs) > 1 and choose_specimen:
                self.fields[f"{prefix}-specimen"] = forms.ChoiceField(
                    label="Specimen",
                    choices=[(s, dict(catalogue.SPECIMENS)[s]) for s in analyte.specimens],
                    initial=spec.specimen,
                )
            if code == "vegf":
                self.fields[f"{prefix}-confounders"] = forms.MultipleChoiceField(
                    label="Confounders (tick any that apply)",
                    choices=catalogue.CONFOUNDERS,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
            self.rows.append({"code": code, "spec": spec, "specimen": spec.specimen})
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = "form-check-input"
            else:
                field.widget.attrs["class"] = (
                    "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                )

    def bound_rows(self):
        """Rows for the template: each with its bound fields in display order; a field with an
        error (from the form or the service) is outlined."""
        for name in self.errors:
            if name in self.fields and "is-invalid" not in self.fields[name].widget.attrs.get("class", ""):
                self.fields[name].widget.attrs["class"] += " is-invalid"
        for row in self.rows:
            prefix = row["code"]
            names = ["value", "unit", "specimen", "detail", "ref_low", "ref_high"]
            yield {
                **row,
                "heading": self.fields[f"{prefix}-value"].label,
                "unit_shown": catalogue.display_unit(row["spec"].canonical_unit) or "ratio",
                "fields": [self[f"{prefix}-{n}"] for n in names if f"{prefix}-{n}" in self.fields],
                "confounders": self[f"{prefix}-confounders"] if f"{prefix}-confounders" in self.fields else None,
                "errors": [e for n in [*names, "confounders"] for e in self.errors.get(f"{prefix}-{n}", [])],
            }

    def full_clean(self):
        super().full_clean()
        if "collected_on" in self.errors:  # the date box is drawn before the rows mark theirs
            self.fields["collected_on"].widget.attrs["class"] += " is-invalid"

    def entries(self) -> list[dict]:
        """The non-blank rows as keyword arguments for lab_panel_record."""
        data = self.cleaned_data
        entries = []
        for row in self.rows:
            code = row["code"]
            value = data.get(f"{code}-value")
            if value in (None, ""):
                continue
            entry = {"analyte": code, "value": value, "specimen": data.get(f"{code}-specimen") or row["specimen"]}
            for name in ("unit", "detail", "ref_low", "ref_high", "confounders"):
                if f"{code}-{name}" in self.fields:
                    entry[name] = data.get(f"{code}-{name}")
            entry["confounders"] = entry.get("confounders") or ()
            entries.append(entry)
        return entries


class NcsStudyForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = NerveConductionStudy
        fields = ["study_date", "lab", "examiner", "temperature_c", "summary_category", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class NcsRowForm(SafeInputMixin, forms.ModelForm):
    class Meta:
        model = NerveConductionResult
        fields = [
            "kind",
            "nerve",
            "side",
            "site",
            "cmap_amp_mv",
            "dml_ms",
            "cv_ms",
            "f_min_latency_ms",
            "snap_amp_uv",
            "absent",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
        self.fields["absent"].widget.attrs["class"] = "form-check-input"
        for field in self.fields.values():
            # The grid names each control "Row 1 CMAP amplitude (mV)": the unit joins the label
            # instead of a help text the grid has no room to show.
            field.unit, field.help_text = field.help_text, ""
        self.fields["kind"].required = self.fields["nerve"].required = self.fields["side"].required = False

    def clean(self):
        data = super().clean()
        if self.has_changed() and not (data.get("kind") and data.get("nerve") and data.get("side")):
            raise forms.ValidationError("Each row needs kind, nerve and side.")
        return data

    def _post_clean(self):
        """Model checks run in the service, with the study attached."""


NcsRowFormSet = forms.formset_factory(NcsRowForm, extra=8, max_num=40)


class AcknowledgeForm(CrispyMixin, forms.Form):
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required: what you decided (e.g. repeat VEGF in 4 weeks).",
    )
