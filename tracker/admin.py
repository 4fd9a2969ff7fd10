"""Django admin for superusers: clinics and their members, and read-only audit trails.

Clinical records are deliberately not here: they change only through the services (and so
through the staff pages), which validate, keep history and never delete.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from tracker.models import AccountAction, AuthEvent, Clinic, ExportRun, ImportRun, PatientRead


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
    filter_horizontal = ("members",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """An audit trail: readable, never added to, changed or deleted by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuthEvent)
class AuthEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "username", "ip_address")
    list_filter = ("kind",)
    search_fields = ("username",)
    date_hierarchy = "at"


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "kind", "file_name", "status", "actor", "created_count", "error_count")
    list_filter = ("kind", "status", "source")
    exclude = ("file_bytes", "outcomes")


@admin.register(ExportRun)
class ExportRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "format", "source", "actor", "pseudonymised", "clinic_code", "status")
    list_filter = ("format", "source", "status", "pseudonymised")
    exclude = ("file_bytes",)


@admin.register(PatientRead)
class PatientReadAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "mrn", "what")
    search_fields = ("username", "mrn")
    date_hierarchy = "at"


@admin.register(AccountAction)
class AccountActionAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "actor", "subject", "detail", "ip_address")
    list_filter = ("action",)
    date_hierarchy = "at"


class NoDeleteUserAdmin(UserAdmin):
    """Accounts are deactivated, never deleted: deleting one would blank "who" in the history
    of every record it touched."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), NoDeleteUserAdmin)
