"""Staff-side portal pieces on the patient page (invitations, review of patient reports)."""


def portal_panel_context(patient, request) -> dict:
    return {}
