"""DRF authentication with a site-scoped API key: ``Authorization: Token <key>`` or ``Bearer <key>``."""
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from tahoe_registration_plugin.models import ApiKey

KEYWORDS = ("token", "bearer")
REALM = "tahoe-registration"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """
    Authenticate the calling system by its key; ``request.auth`` is the ``ApiKey``.

    The request's user stays anonymous: a key acts for a system, never as a person, and no
    session is opened.
    """

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header:
            return None
        if header[0].decode("latin-1").lower() not in KEYWORDS or len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header: use 'Token <key>'."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid API key.")) from error
        api_key = ApiKey.objects.get_for_authentication(secret)
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        if api_key.is_revoked:
            raise exceptions.AuthenticationFailed(_("This API key has been revoked."))
        if api_key.is_expired:
            raise exceptions.AuthenticationFailed(_("This API key has expired."))
        api_key.record_use()
        return AnonymousUser(), api_key

    def authenticate_header(self, request):
        return f'Token realm="{REALM}"'
