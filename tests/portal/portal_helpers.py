"""Helpers shared by the portal tests."""

import re

from tracker.models import SYMPTOM_CODES


def report_data(**overrides) -> dict:
    """A complete, valid /me/report/ submission (inputs named as the symptoms CSV columns)."""
    data = dict.fromkeys(SYMPTOM_CODES, "1")
    data.update(weight_kg="70.0", other_symptoms="")
    data.update({key: str(value) for key, value in overrides.items()})
    return data


def link_in(body: str) -> str:
    """The path of the first link to this site in an email body."""
    match = re.search(r"https?://[^/\s]+(/\S+)", body)
    assert match, body
    return match.group(1)
