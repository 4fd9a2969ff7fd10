"""Django admin for superusers: clinics and their members, and read-only audit trails.

Clinical records are deliberately not here: they change only through the services (and so
through the staff pages), which validate, keep history and never delete.
"""

from django.contrib import admin

from tracker.models import AuthEvent, Clinic, ExportRun, ImportRun


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
