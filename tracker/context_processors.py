from tracker.access import role_of


def role(request) -> dict:
    """The signed-in user's role, so the base template shows the right navigation."""
    return {"role": role_of(request.user) if hasattr(request, "user") else ""}
