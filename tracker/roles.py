"""The three roles, as Django groups."""

STAFF = "staff"
CONSULTANT = "consultant"
PATIENT = "patient"
ROLES = (STAFF, CONSULTANT, PATIENT)
CLINICAL_ROLES = (STAFF, CONSULTANT)
# Not a role of `add_user --role` (INTERFACES.md): a permission granted on top of one, or alone,
# with `manage.py grant_manager`, to run clinics and their staff accounts in the app.
CLINIC_MANAGER = "clinic_manager"
