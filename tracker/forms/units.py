"""The unit list of the single lab result form, drawn from the catalogue.

Without script the list holds every analyte's units, grouped by analyte (and specimen where
the units differ by specimen); `static/tracker/entry.js` narrows it to the units of the analyte
and specimen chosen, from the map in the list's `data-units` attribute. The field stays free
text underneath: a unit the analyte does not accept reaches the service, which refuses it
naming the field and the accepted units.
"""

import json

from django import forms

from tracker import catalogue

USUAL_UNIT = "The analyte's usual unit"


def _unit_choices(spec) -> list[tuple[str, str]]:
    return [(unit, catalogue.display_unit(unit) or unit) for unit in spec.units]


def unit_map() -> dict:
    """{analyte: {"default": specimen, "specs": {specimen: {"canonical": unit, "units": [[unit, shown]]}}}};
    a categorical spec (immunofixation) has no units."""
    return {
        analyte.code: {
            "default": analyte.default_specimen,
            "specs": {
                specimen: {"canonical": spec.canonical_unit, "units": _unit_choices(spec)}
                for specimen, spec in analyte.specs.items()
            },
        }
        for analyte in catalogue.ANALYTES.values()
    }


def grouped_unit_choices() -> list:
    """A blank (the usual unit), then one group of units per analyte and specimen."""
    specimen_names = dict(catalogue.SPECIMENS)
    groups = []
    for analyte in catalogue.ANALYTES.values():
        shapes = {tuple(spec.units) for spec in analyte.specs.values() if not spec.categorical}
        for specimen, spec in analyte.specs.items():
            if spec.categorical:
                continue
            if len(shapes) == 1:  # every specimen takes the same units: one group
                groups.append((analyte.label, _unit_choices(spec)))
                break
            groups.append((f"{analyte.label}, {specimen_names.get(specimen, specimen).lower()}", _unit_choices(spec)))
    return [("", USUAL_UNIT), *groups]


class UnitSelect(forms.Select):
    """A drop-down of units whose value may still be any text a report printed."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"data-units": json.dumps(unit_map(), ensure_ascii=False), **(attrs or {})})
        self.choices = grouped_unit_choices()


def unit_field() -> forms.CharField:
    return forms.CharField(
        max_length=20,
        required=False,
        widget=UnitSelect(),
        help_text="The unit printed on the report. The list holds the units accepted for the analyte "
        "and specimen chosen above; the value is converted to the usual unit and both are kept.",
    )


def keep_typed_unit(field: forms.CharField, typed: str) -> None:
    """A submitted unit that is on no list (refused by the service) stays shown, so the person
    sees what was sent beside the message that names the accepted units."""
    typed = (typed or "").strip()
    known = {value for _, units in field.widget.choices[1:] for value, _ in units}
    if typed and typed not in known:
        field.widget.choices = [*field.widget.choices, (typed, typed)]
