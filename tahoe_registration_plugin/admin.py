"""
The LMS admin pages for API keys and for the accounts they created.

Creating a key shows its secret on the page that answers the form, once: it is never stored, put in
a message, a session or a cookie, so no later page can show it again.
"""
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from tahoe_registration_plugin.models import ApiKey, RegistrationRecord


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys by prefix and site; the secret is shown once, when the key is created."""

    list_display = ("prefix", "site", "name", "created", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("site", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "site__domain")
    actions = ["revoke_keys"]
    add_fields = ("site", "name", "description", "expires_at")
    change_fields = (
        "site", "name", "description", "expires_at", "prefix", "is_legacy",
        "created", "created_by", "last_used_at", "revoked_at",
    )
    created_template = "tahoe_registration_plugin/admin/api_key_created.html"

    def get_fields(self, request, obj=None):
        return self.change_fields if obj else self.add_fields

    def get_readonly_fields(self, request, obj=None):
        # A key's site is fixed once it exists: moving a key would hand one site's access to another.
        if obj is None:
            return ()
        return tuple(name for name in self.change_fields if name not in ("name", "description", "expires_at"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            # Kept on the request only until the response below shows it.
            request.tahoe_registration_new_secret = obj.assign_new_secret()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "secret": request.tahoe_registration_new_secret,
            "title": "API key created",
        }
        response = TemplateResponse(request, self.created_template, context)
        add_never_cache_headers(response)
        return response

    @admin.action(description="Revoke the selected API keys", permissions=["change"])
    def revoke_keys(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"Revoked {count} API key(s).")


@admin.register(RegistrationRecord)
class RegistrationRecordAdmin(admin.ModelAdmin):
    """The audit trail, read-only: which key created which account on which site."""

    list_display = ("created", "site", "user", "api_key", "api_version")
    list_filter = ("site", "api_version")
    list_select_related = ("site", "user", "api_key")
    search_fields = ("user__username", "api_key__prefix", "api_key__name")
    date_hierarchy = "created"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
