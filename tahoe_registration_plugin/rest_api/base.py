"""What both versions of the registration endpoint share: auth, limits, parsing and error bodies."""
import hashlib
import json

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DatabaseError, transaction
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from rest_framework import exceptions, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from tahoe_registration_plugin import api, toggles
from tahoe_registration_plugin.authentication import ApiKeyAuthentication
from tahoe_registration_plugin.conf import settings
from tahoe_registration_plugin.data import IdempotencyKey
from tahoe_registration_plugin.errors import (
    AccountConflict,
    IdempotencyKeyReused,
    InvalidAccount,
    PlatformUnavailable,
    RegistrationRefused,
)
from tahoe_registration_plugin.logs import get_logger
from tahoe_registration_plugin.permissions import HasApiKeyForSite
from tahoe_registration_plugin.rest_api import monitoring
from tahoe_registration_plugin.rest_api.middleware import DATABASE_ERROR_MESSAGE, RETRY_AFTER_SECONDS
from tahoe_registration_plugin.site_settings import for_site
from tahoe_registration_plugin.sites import get_site_for_request
from tahoe_registration_plugin.throttling import ApiKeyRateThrottle

log = get_logger(__name__)

PLATFORM_UNAVAILABLE_MESSAGE = "Registration is unavailable on this site right now; nothing was created."
IDEMPOTENCY_MISMATCH_MESSAGE = "This Idempotency-Key was already used with a different request body."
IDEMPOTENCY_KEY_MAX_LENGTH = 255


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Request body too large."


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "This version of the API is no longer available."


class Disabled(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The registration API is turned off on this site."


class JSONBodyParser(JSONParser):
    """DRF's JSON parser, with a body nested too deeply for Python's decoder refused like any bad JSON."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise exceptions.ParseError("JSON parse error - the body is nested too deeply.") from error


class JSONOnly(DefaultContentNegotiation):
    """Every answer is JSON, whatever the ``Accept`` header asks for."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def registration_exception_handler(exc, context):
    """
    Turn every refusal into the contract's JSON body, keeping DRF's headers (WWW-Authenticate,
    Retry-After); every 503 says when to retry.
    """
    response = _response_for(exc, context["view"], context)
    if response is not None and response.status_code == status.HTTP_503_SERVICE_UNAVAILABLE:
        response.setdefault("Retry-After", str(RETRY_AFTER_SECONDS))
    return response


def _response_for(exc, view, context):  # pylint: disable=too-many-return-statements
    if isinstance(exc, DatabaseError):
        # The registration's transaction rolled back: say so in JSON, and let the caller retry.
        log.exception("Registration failed on a database error; nothing was created.")
        return Response({"user_message": DATABASE_ERROR_MESSAGE}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    if isinstance(exc, PlatformUnavailable):
        # An operator's problem (an LMS release the backend cannot load): say so in the log, once per request.
        log.error("The platform backend cannot be loaded: %s", exc)
        return Response({"user_message": PLATFORM_UNAVAILABLE_MESSAGE}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    if isinstance(exc, RegistrationRefused):
        return Response({"user_message": exc.message}, status=exc.status_code)
    if isinstance(exc, AccountConflict):
        return Response(view.conflict_body(exc.fields), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, IdempotencyKeyReused):
        return Response({"user_message": IDEMPOTENCY_MISMATCH_MESSAGE}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, InvalidAccount):
        return Response(view.invalid_body(exc.field_errors), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        return Response({"user_message": str(PayloadTooLarge.default_detail)},
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, SuspiciousOperation):
        # Django's parsing limits: more fields or files than DATA_UPLOAD_MAX_NUMBER_FIELDS / _FILES.
        return Response({"user_message": f"Malformed request: {exc}"}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        field_errors = {name: [str(message) for message in messages] for name, messages in detail.items()}
        return Response(view.invalid_body(field_errors), status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is not None:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else None
        response.data = {"user_message": str(detail) if isinstance(detail, str) else response.status_text}
    return response


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class RegistrationView(APIView):
    """
    ``POST`` a learner's details to create their account on the request's site.

    Runs outside ``ATOMIC_REQUESTS``: ``api.register_user`` owns its transaction, so the
    registration's email goes out only after the account is committed.
    """

    api_version = None
    serializer_class = None
    http_method_names = ["post"]
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiKeyForSite]
    throttle_classes = [ApiKeyRateThrottle]
    parser_classes = [JSONBodyParser, FormParser, MultiPartParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly
    site = None
    # The caller's key once authenticated and allowed; None when the request was refused before.
    api_key = None

    @cached_property
    def site_settings(self):
        """The plugin's settings as the request's site sees them, read once per request."""
        return for_site(self.site)

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

    @staticmethod
    def _check_body_size(request):
        limit = settings.max_body_bytes
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError as error:
            raise exceptions.ParseError("Invalid Content-Length header.") from error
        if length > limit:
            raise PayloadTooLarge(f"Request body too large: at most {limit} bytes are accepted.")

    def post(self, request):
        serializer = self.serializer_class(data=request.data)  # pylint: disable=not-callable
        serializer.is_valid(raise_exception=True)
        result = api.register_user(
            request, serializer.new_account(), site=self.site, api_key=self.api_key, api_version=self.api_version,
            idempotency_key=self._idempotency_key(request),
        )
        body = self.success_body(result)
        if result.warnings:
            body["warnings"] = list(result.warnings)
        return Response(body, status=status.HTTP_200_OK)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        monitoring.record_request(self.api_version, self.site, self.api_key, response)
        return response

    @staticmethod
    def _idempotency_key(request):
        """The request's ``Idempotency-Key`` with a fingerprint of its body, or None without the header."""
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return None
        if not 0 < len(key) <= IDEMPOTENCY_KEY_MAX_LENGTH:
            raise exceptions.ValidationError(
                {"Idempotency-Key": [f"Must be 1 to {IDEMPOTENCY_KEY_MAX_LENGTH} characters long."]}
            )
        data = request.data
        fields = {name: data.getlist(name) for name in data} if hasattr(data, "getlist") else data
        canonical = json.dumps(fields, sort_keys=True, default=str).encode("utf-8")
        return IdempotencyKey(key=key, fingerprint=hashlib.sha256(canonical).hexdigest())

    def success_body(self, result):
        """The 200 body for ``result`` (a ``data.RegisteredAccount``)."""
        raise NotImplementedError

    def conflict_body(self, fields):
        raise NotImplementedError

    def invalid_body(self, field_errors):
        raise NotImplementedError


def undocumented(view_class):
    """The same view, left out of the API docs (drf-yasg skips view classes whose ``swagger_schema`` is None)."""

    class Undocumented(view_class):
        swagger_schema = None

    Undocumented.__name__ = Undocumented.__qualname__ = f"Undocumented{view_class.__name__}"
    return Undocumented
