"""The patient-page timeline (charts). `timeline_context` adds what the timeline include needs."""


def timeline_context(patient, record: dict) -> dict:
    return {}
