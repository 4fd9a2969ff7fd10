"""A flag's evidence in words: links to the records it used, and its values for reading.

Which evidence keys name which kind of record comes from the record-type registry: a key
ending in a type's `evidence_key` lists ids of that type, linked to its patient-page row.
"""

from decimal import Decimal

from tracker import catalogue
from tracker.record_types import RecordType, with_evidence
from tracker.rules.params import rule_settings

_WORDS = {
    "pct": "",  # the value says "%"
    "kg": "",
    "days": "",
    "points": "",
    "uln": "upper limit",
    "t0": "T0",
    "cr": "complete response",
    "ncs": "NCS",
    "ids": "",
}
# Keys naming other flags by their internal identity; the explanation already says it in words.
# A "unit" key is shown beside the values it measures, not as a row of its own.
_INTERNAL_KEYS = ("confirms", "key", "unit")
# Keys whose numbers are in the evidence's own "unit" (the lab or NCS unit of the rule).
_MEASURED = frozenset({"value", "values", "nadir", "uln", "threshold_value", "normal_value", "rise", "best_value"})


def evidence_label(key: str) -> str:
    """'nadir_vegf' -> 'Nadir vegf', 'rise_pct' -> 'Rise', 'window_days' -> 'Window'."""
    words = [_WORDS.get(word, word) for word in key.split("_")]
    return " ".join(word for word in words if word).capitalize()


def unit_of(key: str, unit: str = "") -> str:
    """The unit a value of evidence key `key` is in: the evidence's own `unit` for measured
    values, else read from the key's ending (`_pct`, `_days`, `_kg`, `_points`)."""
    if key in _MEASURED:
        return catalogue.display_unit(unit)
    for ending, named in (("pct", "%"), ("days", "days"), ("kg", "kg"), ("points", "points")):
        if key == ending or key.endswith("_" + ending):
            return named
    return ""


def _number(value) -> str | None:
    """A number written for reading (thousands separators, at most two decimals), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return f"{value:,}"
    try:
        number = Decimal(value) if isinstance(value, str) else None
    except ArithmeticError:
        return None
    if number is None or not number.is_finite():
        return None
    return catalogue.format_value(number, 2)


def _with_unit(text: str, unit: str) -> str:
    if not unit:
        return text
    return f"{text}%" if unit == "%" else f"{text} {unit}"


def plain_value(value, unit: str = ""):
    """Evidence values for reading: numbers with thousands separators, at most two decimals and
    their `unit`, yes/no, nested pairs in words. The stored JSON keeps them exact."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    number = _number(value)
    if number is not None:
        return _with_unit(number, unit)
    if isinstance(value, dict):
        own = value.get("unit", "")
        return "; ".join(
            f"{evidence_label(k)} {plain_value(v, unit_of(k, own))}"
            for k, v in value.items()
            if not k.endswith("_id") and k not in _INTERNAL_KEYS
        )
    if isinstance(value, list):
        return ", ".join(str(plain_value(v, unit)) for v in value)
    return value


def _record_names(wanted: dict[RecordType, list]) -> dict:
    """'Serum VEGF 1,343 pg/mL, 2025-06-14' and the like for the records a flag used: one
    query per kind of record."""
    names = {}
    for rt, ids in wanted.items():
        for record in rt.model.objects.filter(pk__in=ids):
            names[(rt.kind, record.pk)] = rt.evidence_label(record)
    return names


def flag_evidence(flag) -> tuple[list[dict], list[tuple[str, str]]]:
    """Split a flag's evidence into links to the records it used and values in words. One
    query per kind of record named."""
    types = with_evidence()
    links, values, wanted = [], [], {}
    for key, value in flag.evidence.items():
        rt = next((t for t in types if key.endswith(t.evidence_key)), None)
        if rt is not None and isinstance(value, list):
            role = evidence_label(key[: -len(rt.evidence_key)]) if key != rt.evidence_key else ""
            wanted.setdefault(rt, []).extend(value)
            links.extend({"type": rt, "role": role, "id": pk} for pk in value)
        elif key not in _INTERNAL_KEYS:
            values.append((evidence_label(key), plain_value(value, unit_of(key, flag.evidence.get("unit", "")))))
    names = _record_names(wanted)
    for link in links:
        rt = link.pop("type")
        link["anchor"] = rt.row_anchor
        link["label"] = names.get((rt.kind, link["id"]), f"record #{link['id']}")
    return links, values


def flag_thresholds(flag) -> list[dict]:
    """The settings behind a flag's rule, by plain name, each with its setting name and the value
    in force when the flag was raised, written with its unit ("1,000 pg/mL")."""
    rows = rule_settings(flag.rule, flag.params)
    for row in rows:
        row["shown"] = plain_value(row["value"], catalogue.display_unit(row["unit"]))
    return rows
