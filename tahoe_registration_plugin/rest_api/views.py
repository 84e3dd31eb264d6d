"""
What every endpoint shares (the key, its site and scopes, the rate limit, body limits, JSON
answers, monitoring), and the registration endpoint both versions share.
"""
import json

from django.db import transaction
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from tahoe_registration_plugin import api, scopes, toggles
from tahoe_registration_plugin.conf import api_settings
from tahoe_registration_plugin.data import IdempotencyKey
from tahoe_registration_plugin.rest_api import monitoring
from tahoe_registration_plugin.rest_api.authentication import ApiKeyAuthentication
from tahoe_registration_plugin.rest_api.exceptions import (
    CHANGE_DATABASE_ERROR_MESSAGE,
    DATABASE_ERROR_MESSAGE,
    Disabled,
    PayloadTooLarge,
    registration_exception_handler,
)
from tahoe_registration_plugin.rest_api.media_types import PARSER_CLASSES, JSONOnly
from tahoe_registration_plugin.rest_api.permissions import HasApiKeyForSite, HasScopes
from tahoe_registration_plugin.rest_api.throttling import ApiKeyRateThrottle
from tahoe_registration_plugin.sites import get_site_for_request


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class SiteApiView(APIView):
    """
    An endpoint of a site, called with one of its keys: 401 without a valid key, 403 on another
    site or outside the key's scopes, 429 over its rate, JSON refusals whatever happens.

    Runs outside ``ATOMIC_REQUESTS``: the operations own their transactions, so what they send
    goes out only after a commit.
    """

    api_version = "v2"
    # Named in monitoring and in the log line of each request.
    endpoint = None
    # The scope each method needs (CONTRACT §8).
    required_scopes = {}
    # The 503's message when the database fails (registrations keep their own, which clients know),
    # and the log line's (registrations keep theirs, which operators search for).
    database_error_message = CHANGE_DATABASE_ERROR_MESSAGE
    database_error_log = "A %(endpoint)s request failed on a database error; nothing was changed."
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiKeyForSite, HasScopes]
    throttle_classes = [ApiKeyRateThrottle]
    parser_classes = PARSER_CLASSES
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly
    site = None
    # The caller's key once authenticated and allowed; None when the request was refused before.
    api_key = None

    @cached_property
    def site_settings(self):
        """The plugin's settings as the request's site sees them, read once per request."""
        return api_settings.for_site(self.site)

    def get_exception_handler(self):
        # Ours alone: the LMS's global DRF exception handler stays as it is for other APIs.
        return registration_exception_handler

    def initial(self, request, *args, **kwargs):
        # Checked before authentication: these answers are the same for every caller.
        # The LMS's CurrentSiteMiddleware (the standalone project's too) has resolved it already.
        self.site = getattr(request, "site", None) or get_site_for_request(request)
        if toggles.api_disabled():
            raise Disabled()
        self.check_version_available()
        if request.method.lower() not in self.http_method_names:
            raise exceptions.MethodNotAllowed(request.method)
        self._check_body_size(request)
        super().initial(request, *args, **kwargs)
        self.api_key = request.auth

    def check_version_available(self):
        """Raise ``Gone`` when the operator has turned this version off."""

    def _check_body_size(self, request):
        limit = self.site_settings.max_body_bytes
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError as error:
            raise exceptions.ParseError(_("Invalid Content-Length header.")) from error
        if length > limit:
            raise PayloadTooLarge(_("Request body too large: at most {limit} bytes are accepted.").format(limit=limit))

    def scopes_needed(self, request):
        """The scopes this request needs."""
        return [self.required_scopes[request.method]]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        monitoring.record_request(self.api_version, self.site, self.api_key, response, endpoint=self.endpoint)
        return response

    @staticmethod
    def idempotency_key(request, operation=""):
        """
        The request's ``Idempotency-Key`` with its body as one canonical text (prefixed by the
        ``operation``, so that one key cannot answer for another endpoint), or None without the header.
        """
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return None
        if not 0 < len(key) <= IdempotencyKey.MAX_LENGTH:
            raise exceptions.ValidationError(
                {"Idempotency-Key": [
                    _("Must be 1 to {limit} characters long.").format(limit=IdempotencyKey.MAX_LENGTH),
                ]}
            )
        data = request.data
        fields = {name: data.getlist(name) for name in data} if hasattr(data, "getlist") else data
        return IdempotencyKey(key=key, body=operation + json.dumps(fields, sort_keys=True, default=str))

    def invalid_body(self, field_errors):
        problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in sorted(field_errors.items()))
        return {"user_message": _("Invalid request ({problems})").format(problems=problems),
                "field_errors": field_errors}


class RegistrationView(SiteApiView):
    """``POST`` a learner's details to create their account on the request's site."""

    endpoint = "registrations"
    database_error_message = DATABASE_ERROR_MESSAGE
    database_error_log = "Registration failed on a database error; nothing was created."
    api_version = None
    serializer_class = None
    http_method_names = ["post"]
    required_scopes = {"POST": scopes.REGISTER}

    def post(self, request):
        serializer = self.serializer_class(data=request.data)  # pylint: disable=not-callable
        serializer.is_valid(raise_exception=True)
        result = api.register_user(
            serializer.new_account(), site=self.site, api_key=self.api_key, api_version=self.api_version,
            idempotency_key=self.idempotency_key(request),
        )
        body = self.success_body(result)
        if result.warnings:
            body["warnings"] = list(result.warnings)
        return Response(body, status=status.HTTP_200_OK)

    def success_body(self, result):
        """The 200 body for ``result`` (a ``data.RegisteredAccount``)."""
        raise NotImplementedError

    def conflict_body(self, fields):
        raise NotImplementedError


def undocumented(view_class):
    """The same view, left out of the API docs (drf-yasg skips view classes whose ``swagger_schema`` is None)."""

    class Undocumented(view_class):
        swagger_schema = None

    Undocumented.__name__ = Undocumented.__qualname__ = f"Undocumented{view_class.__name__}"
    return Undocumented
