"""Who administers which site: granted, seen and revoked by superusers only."""
from django.contrib import admin

from tahoe_registration_plugin.admin.presentation import AppModelAdmin
from tahoe_registration_plugin.models import SiteAdministrator


@admin.register(SiteAdministrator)
class SiteAdministratorAdmin(AppModelAdmin):
    """Who administers which site's keys and records: superusers only grant and see it."""

    list_display = ("user", "site", "granted_by", "granted_at")
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
