from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "POEMS Tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tracker import auth_audit  # noqa: F401  (connects the sign-in audit receivers)
