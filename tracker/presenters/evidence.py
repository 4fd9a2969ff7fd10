"""A flag's evidence in words: links to the records it used, and its values for reading.

Which evidence keys name which kind of record comes from the record-type registry: a key
ending in a type's `evidence_key` lists ids of that type, linked to its patient-page row.
"""

from decimal import Decimal

from tracker.record_types import RecordType, with_evidence

_WORDS = {"pct": "%", "uln": "upper limit", "t0": "T0", "cr": "complete response", "ncs": "NCS", "ids": ""}
# Keys naming other flags by their internal identity; the explanation already says it in words.
_INTERNAL_KEYS = ("confirms", "key")


def evidence_label(key: str) -> str:
    """'nadir_vegf' -> 'Nadir vegf', 'rise_pct' -> 'Rise %'."""
    words = [_WORDS.get(word, word) for word in key.split("_")]
    return " ".join(word for word in words if word).capitalize()


def plain_value(value):
    """Evidence values for reading: numbers to two decimals, yes/no, nested pairs in words.
    The stored JSON keeps them exact."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except ArithmeticError:
            return value
        if number.is_finite() and number.as_tuple().exponent < -2:
            return str(number.quantize(Decimal("0.01")).normalize())
        return value
    if isinstance(value, dict):
        return "; ".join(f"{evidence_label(k)} {plain_value(v)}" for k, v in value.items() if not k.endswith("_id"))
    if isinstance(value, list):
        return ", ".join(str(plain_value(v)) for v in value)
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
            values.append((evidence_label(key), plain_value(value)))
    names = _record_names(wanted)
    for link in links:
        rt = link.pop("type")
        link["anchor"] = rt.row_anchor
        link["label"] = names.get((rt.kind, link["id"]), f"record #{link['id']}")
    return links, values
