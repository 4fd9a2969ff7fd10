from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "POEMS Tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tracker import checks  # noqa: F401  (system checks; the sign-in audit is django-axes')
        from tracker.accounts import receivers  # noqa: F401  (no account deleted; sign-in notes)
