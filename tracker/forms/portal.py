"""Forms of the patient portal and of the staff portal panel.

The self-report form's inputs are named exactly as the `symptoms` CSV columns (INTERFACES.md
section 5). Its messages are written for patients: plain words and the allowed range, with no
field codes. The ranges repeat the model's bounds so that a patient never sees the staff wording.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth.forms import PasswordResetForm

from tracker import catalogue
from tracker.forms.base import SafeInputMixin
from tracker.roles import PATIENT
from tracker.text_checks import ascii_number

SCALE_MESSAGE = "Please choose a number from 0 (none) to 10 (worst)."
WEIGHT_LOW, WEIGHT_HIGH = Decimal(20), Decimal(300)
WEIGHT_MESSAGE = "Weight must be between 20 and 300 kg."
WEIGHT_FORMAT_MESSAGE = "Please write your weight as a number of kilograms, for example 72.5."
OTHER_MAX_CHARS = 2000


@dataclass(frozen=True)
class PortalItem:
    """One measure as the patient sees it: a short title, the question, and what it is."""

    code: str
    title: str
    question: str
    about: str


PORTAL_ITEMS = (
    PortalItem(
        "numbness_tingling",
        "Numbness or tingling",
        "Numbness or pins-and-needles in your feet or hands",
        "POEMS syndrome often affects the nerves. This tells your team how your nerves are doing.",
    ),
    PortalItem(
        "weakness",
        "Weakness",
        "Weakness in your legs or arms, tripping, or difficulty with stairs",
        "Weak muscles usually come from the nerves. Your team compares this with what they find in clinic.",
    ),
    PortalItem(
        "pain",
        "Nerve pain",
        "Nerve pain, such as burning or shooting pain",
        "Burning or shooting pain also comes from the nerves. 0 is no pain, 10 the worst pain you can imagine.",
    ),
    PortalItem(
        "swelling",
        "Swelling",
        "Swelling of your legs, ankles or tummy",
        "Swelling can mean that your body is holding on to fluid, which POEMS syndrome can cause.",
    ),
    PortalItem(
        "breathlessness",
        "Breathlessness",
        "Feeling short of breath",
        "Being short of breath has many causes, one of them fluid around the lungs.",
    ),
    PortalItem(
        "fatigue",
        "Tiredness",
        "Feeling tired or worn out",
        "How tired you feel. It has many causes and helps your team see how you are overall.",
    ),
    PortalItem(
        "skin_changes",
        "Skin changes",
        "Darker skin, new hair growth, new red spots, or white nails",
        "POEMS syndrome can change the skin, hair and nails.",
    ),
    PortalItem(
        "headache_vision",
        "Headaches or blurred vision",
        "Headaches or blurred vision",
        "These can come from swelling at the back of the eye, which your team checks for.",
    ),
    PortalItem(
        "sweating",
        "Sweating",
        "Sweating much more than usual",
        "Heavy sweating can be part of POEMS syndrome.",
    ),
    PortalItem(
        "diarrhoea",
        "Diarrhoea",
        "Diarrhoea (loose or watery stools)",
        "Loose or frequent stools can be part of POEMS syndrome or a side effect of treatment.",
    ),
)
WEIGHT_ITEM = PortalItem(
    "weight_kg",
    "Weight",
    "Your weight in kilograms",
    "A quick gain can mean your body is holding on to fluid; losing weight without trying is also worth knowing about.",
)
SCALE_CHOICES = [(n, str(n)) for n in range(11)]


def _scale_field(item: PortalItem) -> forms.IntegerField:
    return forms.IntegerField(
        label=item.question,
        min_value=0,
        max_value=10,
        widget=forms.RadioSelect(choices=SCALE_CHOICES, attrs={"class": "scale-input"}),
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), SCALE_MESSAGE),
    )


class SymptomSelfReportForm(SafeInputMixin, forms.Form):
    """The checklist of POEMS-DOMAIN.md 4.6 for one day. The date is never a field: a report is
    always for today."""

    keep_number_messages = True

    weight_kg = forms.CharField(
        label="Weight in kg (optional)",
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 6}),
    )
    other_symptoms = forms.CharField(
        label="Anything else you would like your clinic team to know? (optional)",
        required=False,
        max_length=OTHER_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Please keep this to {OTHER_MAX_CHARS} characters or fewer."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scale = {item.code: _scale_field(item) for item in PORTAL_ITEMS}
        self.fields = {**scale, **self.fields}

    @property
    def scale_rows(self) -> list[tuple[PortalItem, forms.BoundField]]:
        return [(item, self[item.code]) for item in PORTAL_ITEMS]

    def clean_weight_kg(self) -> Decimal | None:
        """Accept '72.5', '72,5' or ' 72 '; keep one decimal like the clinic's records."""
        text = self.cleaned_data["weight_kg"].strip().replace(",", ".").removesuffix("kg").strip()
        if not text:
            return None
        if not ascii_number(text):
            raise forms.ValidationError(WEIGHT_FORMAT_MESSAGE)
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(WEIGHT_FORMAT_MESSAGE) from None
        if not value.is_finite():
            raise forms.ValidationError(WEIGHT_FORMAT_MESSAGE)
        if not WEIGHT_LOW <= value <= WEIGHT_HIGH:
            raise forms.ValidationError(WEIGHT_MESSAGE)
        return value.quantize(Decimal("0.1"))

    def clean_other_symptoms(self) -> str:
        return self.cleaned_data["other_symptoms"].strip()


class PortalInviteForm(forms.Form):
    email = forms.EmailField(
        label="Patient's email address",
        error_messages={"invalid": "Enter a valid email address, like name@example.org."},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class ReleasedAnalytesForm(forms.Form):
    analytes = forms.MultipleChoiceField(
        label="Results the patient may see",
        choices=catalogue.ANALYTE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )


class PatientPasswordResetForm(PasswordResetForm):
    """Password reset by email for portal patients only: staff accounts are managed by the
    clinic's administrator, so a mailbox alone must never reopen one."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.groups.filter(name=PATIENT).exists())
