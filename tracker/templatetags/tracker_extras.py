"""Small display filters for the staff and portal pages."""

from django import template

register = template.Library()

_RESPONSES = {
    "CR": "complete response (CR)",
    "VGPR": "very good partial response (VGPR)",
    "PR": "partial response (PR)",
    "NR": "no response (NR)",
    "SD": "stable disease (SD)",
    "PD": "progressive disease (PD)",
    "IFE_positive_unmeasurable": "IFE positive, not measurable",
    "not_evaluable": "not evaluable",
    "not_done": "not done",
}


@register.filter
def response_words(code: str) -> str:
    """A response category in words, keeping the abbreviation people look for."""
    return _RESPONSES.get(code, str(code).replace("_", " "))
