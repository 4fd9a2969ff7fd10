"""Spitzer criteria for engraftment syndrome after ASCT (POEMS-DOMAIN.md section 5, TV-12).

Definite engraftment syndrome = 3 major criteria, or 2 major + at least 1 minor, with onset
within 96 hours of neutrophil engraftment (ANC >= 500/uL on 2 days) [S18]. Diarrhoea is common
after ASCT in POEMS [S17] and is recorded, but it is not a Spitzer criterion.
"""

from __future__ import annotations

from datetime import date

MAJOR = "major"
MINOR = "minor"
RECORDED_ONLY = "not_a_criterion"

FEATURES: tuple[tuple[str, str, str], ...] = (
    ("fever", "Fever >= 38.3 C without identifiable infection", MAJOR),
    ("rash", "Erythrodermatous rash > 25% of body surface area", MAJOR),
    ("pulmonary_oedema", "Noncardiogenic pulmonary oedema / hypoxia", MAJOR),
    ("bilirubin", "Bilirubin >= 2 mg/dL", MINOR),
    ("transaminases", "Transaminases >= 2 x ULN", MINOR),
    ("creatinine", "Creatinine >= 2 x baseline", MINOR),
    ("weight_gain", "Weight gain >= 2.5% of baseline", MINOR),
    ("encephalopathy", "Transient encephalopathy unexplained by other causes", MINOR),
    ("diarrhoea", "Diarrhoea (recorded; not a Spitzer criterion)", RECORDED_ONLY),
)
"""(code, label, kind) for every feature a clinician can tick on the ASCT record."""

ONSET_WINDOW_DAYS = 4
"""96 hours, counted in whole days because features are recorded by date."""

_KIND = {code: kind for code, _, kind in FEATURES}


def spitzer_definite(features: set[str], *, engraftment_date: date | None, onset_date: date | None) -> bool:
    """True for 3 major, or 2 major + >= 1 minor, with onset <= 96 h after engraftment.

    The timing condition is applied only when both dates are known, and reads "within 96 h of
    engraftment" as either side of it (features may start the day before the ANC count
    confirms engraftment). Unknown feature codes are an error, not silently ignored.
    """
    unknown = features - _KIND.keys()
    if unknown:
        raise ValueError(f"unknown engraftment features: {', '.join(sorted(unknown))}")
    majors = sum(1 for f in features if _KIND[f] == MAJOR)
    minors = sum(1 for f in features if _KIND[f] == MINOR)
    if not (majors >= 3 or (majors == 2 and minors >= 1)):
        return False
    if engraftment_date is None or onset_date is None:
        return True
    return abs((onset_date - engraftment_date).days) <= ONSET_WINDOW_DAYS
