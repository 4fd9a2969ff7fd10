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
PORTAL = "portal"  # the patient's own pages
CAPABILITIES: dict[str, frozenset[str]] = {
    STAFF: frozenset({RECORD}),
    CONSULTANT: frozenset({RECORD, ACKNOWLEDGE, COHORT}),
    PATIENT: frozenset({PORTAL}),
}
