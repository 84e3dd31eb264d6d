"""Who may call the API: a valid key, on the key's own site, within its scopes."""
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


class MissingScope(exceptions.PermissionDenied):
    """A call outside the key's scopes: 403, naming the scope it needs (``required_scope``)."""

    def __init__(self, scope):
        super().__init__(_("This API key may not do this: it needs the scope {scope!r}.").format(scope=scope))
        self.scope = scope


class HasScopes(permissions.BasePermission):
    """403 naming the first scope the request needs that the key lacks (``view.scopes_needed``)."""

    def has_permission(self, request, view):
        for scope in view.scopes_needed(request):
            if not request.auth.allows(scope):
                raise MissingScope(scope)
        return True
