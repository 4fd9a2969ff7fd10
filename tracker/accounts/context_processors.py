from tracker.accounts.clinic_admin import is_clinic_manager


def manager(request) -> dict:
    """Whether the signed-in user runs clinics, for the navigation's "Manage" link."""
    user = getattr(request, "user", None)
    return {"is_clinic_manager": user is not None and is_clinic_manager(user)}
