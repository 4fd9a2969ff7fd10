"""The building blocks of the FHIR mappers: resource ids from natural keys, codings,
extensions, UCUM quantities, the patient reference and the item Observation (fhir.resources
R4B models only, never hand-built dicts). Pure: no query."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.reference import Reference

from tracker import catalogue
from tracker.interop import columns as cols
from tracker.interop import fhir_codes as codes
from tracker.interop.research import number


def resource_id(kind: str, *parts) -> str:
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:24]
    return f"{kind}-{digest}"


def ext(name: str, **value) -> Extension:
    return Extension(url=f"{codes.EXTENSION_BASE}/{name}", **value)


def concept(system: str, code: str, display: str = "", text: str = "") -> CodeableConcept:
    coding = Coding(system=system, code=code, display=display or None)
    return CodeableConcept(coding=[coding], text=text or None)


def quantity(value, unit: str, comparator: str = "") -> Quantity:
    return Quantity(
        value=Decimal(number(value)),
        comparator=comparator or None,
        unit=catalogue.display_unit(unit) or unit,
        system=codes.UCUM_SYSTEM,
        code=codes.UCUM[unit],
    )


def subject(patient: dict) -> Reference:
    return Reference(reference=f"Patient/{resource_id('patient', patient['mrn'])}")


def category_of(code: str) -> list[CodeableConcept]:
    return [concept(codes.OBSERVATION_CATEGORY, code)]


def item_observation(patient: dict, day, item: cols.Item, *, category: str, **value) -> Observation:
    code = cols.wide_name(item.domain, item.item)
    return Observation(
        id=resource_id(item.domain, patient["mrn"], day, code),
        status="final",
        category=category_of(category),
        code=concept(cols.ITEM_SYSTEM, code, item.label),
        subject=subject(patient),
        effectiveDateTime=day,
        **value,
    )
