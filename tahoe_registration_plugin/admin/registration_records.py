"""The audit trail in the admin: read-only, searchable, exportable, never deleted."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tahoe_registration_plugin.admin.presentation import api_key, text_column, timestamp_column
from tahoe_registration_plugin.admin.site_scope import AdministeredSiteFilter, SiteScopedAdmin
from tahoe_registration_plugin.exports import registration_records_csv_response
from tahoe_registration_plugin.models import RegistrationRecord


@admin.register(RegistrationRecord)
class RegistrationRecordAdmin(SiteScopedAdmin):
    """The audit trail, read-only and kept: which key created which account on which site, when."""

    list_display = (
        timestamp_column("created", _("Created")), text_column("site", "site.domain", _("Site")),
        text_column("user", "user.username", _("User")), text_column("user_email", "user.email", _("Email")),
        api_key, "api_version",
    )
    list_filter = (("site", AdministeredSiteFilter), "api_version", ("created", admin.DateFieldListFilter))
    list_select_related = ("site", "user", "api_key__site")
    search_fields = ("user__username", "user__email", "api_key__prefix", "api_key__name")
    date_hierarchy = "created"
    actions = ["export_csv"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Export the selected records as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return registration_records_csv_response(queryset)
