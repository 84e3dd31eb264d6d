"""Who may call the API: a valid key, on the key's own site."""
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions

from tahoe_registration_plugin.models import ApiKey


class HasApiKeyForSite(permissions.BasePermission):
    """401 without a key; 403 when the request's site is not the key's site."""

    message = _("This API key does not belong to this site.")

    def has_permission(self, request, view):
        if not isinstance(request.auth, ApiKey):
            raise exceptions.NotAuthenticated(_("Authentication required: send 'Authorization: Token <key>'."))
        return request.auth.site_id == view.site.pk
