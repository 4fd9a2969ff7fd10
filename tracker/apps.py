from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "POEMS Tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tracker import checks  # noqa: F401  (system checks; the sign-in audit is django-axes')
        from tracker.accounts import receivers  # noqa: F401  (no account deleted; sign-in notes)

        self._number_messages()

    def _number_messages(self) -> None:
        """Every decimal field's digit errors say the field's range and unit, on every write
        path (forms, imports, commands), instead of Django's 'no more than N digits'."""
        from django.db import models

        from tracker.models.base import number_messages

        for model in self.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.DecimalField):
                    field.error_messages.update(number_messages(field, digits_only=True))
