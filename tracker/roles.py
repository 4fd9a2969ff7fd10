"""The three roles, as Django groups."""

STAFF = "staff"
CONSULTANT = "consultant"
PATIENT = "patient"
ROLES = (STAFF, CONSULTANT, PATIENT)
CLINICAL_ROLES = (STAFF, CONSULTANT)

# What each role may do: every access decorator asks `tracker.access.can(user, capability)`.
# A new capability ("export", "manage_clinic") is one more word here and in the roles that have it.
RECORD = "record"  # see and change the clinical record of their clinics' patients
ACKNOWLEDGE = "acknowledge"  # acknowledge flags
COHORT = "cohort"  # the cohort chart across their clinics' patients
EXPORT = "export"  # "may export": research exports of their clinics and their download (never patients)
PORTAL = "portal"  # the patient's own pages
CAPABILITIES: dict[str, frozenset[str]] = {
    STAFF: frozenset({RECORD}),
    CONSULTANT: frozenset({RECORD, ACKNOWLEDGE, COHORT, EXPORT}),
    PATIENT: frozenset({PORTAL}),
}

# Roles that may export (the roles whose capabilities include EXPORT).
MAY_EXPORT = tuple(role for role, caps in CAPABILITIES.items() if EXPORT in caps)

# Not a role of `add_user --role` (INTERFACES.md): a permission granted on top of one, or alone,
# with `manage.py grant_manager`, to run clinics and their staff accounts in the app.
CLINIC_MANAGER = "clinic_manager"
