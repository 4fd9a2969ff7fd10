"""Keyed pseudonyms and per-patient date offsets (see docs/PSEUDONYMISATION.md).

Both derive from HMAC-SHA256 of the MRN under the installation's secret, so they are the same
in every export of one installation, differ between installations, and cannot be reversed or
recomputed without the secret. Pure: no Django, no database.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass

MAX_OFFSET_DAYS = 180
"""Dates move by -180..+180 days, never 0: enough to break linkage on exact dates, small
enough to keep seasons and calendar periods roughly where they were."""


@dataclass(frozen=True)
class Pseudonymiser:
    key: bytes

    def _digest(self, purpose: str, mrn: str) -> bytes:
        return hmac.new(self.key, f"{purpose}:{mrn}".encode(), hashlib.sha256).digest()

    def patient_id(self, mrn: str) -> str:
        """'P' and 20 hex digits (80 bits): collisions are negligible for any registry size."""
        return "P" + self._digest("id", mrn).hex()[:20]

    def offset_days(self, mrn: str) -> int:
        value = int.from_bytes(self._digest("date", mrn)[:4], "big") % (2 * MAX_OFFSET_DAYS)
        return value - MAX_OFFSET_DAYS if value < MAX_OFFSET_DAYS else value - MAX_OFFSET_DAYS + 1


@dataclass(frozen=True)
class PatientMask:
    """How one patient appears in an export: its id and what happens to its dates."""

    patient_id: str
    offset_days: int = 0
    pseudonymised: bool = False

    def date(self, value: datetime.date | None) -> datetime.date | None:
        if value is None:
            return None
        return value + datetime.timedelta(days=self.offset_days)


def mask_for(mrn: str, pseudonymiser: Pseudonymiser | None) -> PatientMask:
    if pseudonymiser is None:
        return PatientMask(mrn)
    return PatientMask(pseudonymiser.patient_id(mrn), pseudonymiser.offset_days(mrn), True)
