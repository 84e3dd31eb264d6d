"""Who administers which site: granted, seen and revoked by superusers only."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tahoe_registration_plugin.admin.presentation import AppModelAdmin, text_column, timestamp_column
from tahoe_registration_plugin.models import SiteAdministrator


@admin.register(SiteAdministrator)
class SiteAdministratorAdmin(AppModelAdmin):
    """Who administers which site's keys and records: superusers only grant and see it."""

    list_display = (
        text_column("user", "user.username", _("User")), text_column("site", "site.domain", _("Site")),
        text_column("granted_by", "granted_by.username", _("Granted by")), timestamp_column("granted_at", _("Granted")),
    )
    list_select_related = ("user", "site", "granted_by")
    search_fields = ("user__username", "site__domain")

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
