"""
The API's refusals as JSON: the exceptions its views raise, and the handler that turns every
refusal (the operation's, DRF's, Django's parsing limits) into the body its version answers with.
"""
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tahoe_registration_plugin.errors import (
    AccountConflict,
    IdempotencyKeyReused,
    InvalidAccount,
    PlatformUnavailable,
    RegistrationRefused,
)
from tahoe_registration_plugin.logs import get_logger
from tahoe_registration_plugin.rest_api.permissions import MissingScope

log = get_logger(__name__)

# Every 503 tells the caller when to try again.
RETRY_AFTER_SECONDS = 30
DATABASE_ERROR_MESSAGE = _("The registration could not be completed and nothing was created. Try again later.")
CHANGE_DATABASE_ERROR_MESSAGE = _("The request could not be completed and nothing was changed. Try again later.")
PLATFORM_UNAVAILABLE_MESSAGE = _("Registration is unavailable on this site right now; nothing was created.")
IDEMPOTENCY_MISMATCH_MESSAGE = _("This Idempotency-Key was already used with a different request body.")


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("Request body too large.")


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = _("This version of the API is no longer available.")


class Disabled(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The registration API is turned off on this site.")


def unavailable(message, response_class=Response):
    """
    A 503 that says when to retry: DRF's ``Response`` in the views, Django's ``JsonResponse``
    where no view answers (the middleware).
    """
    response = response_class({"user_message": str(message)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


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
    if isinstance(exc, RequestDataTooBig):
        # Django's own body limit (DATA_UPLOAD_MAX_MEMORY_SIZE): answered as the plugin's.
        exc = PayloadTooLarge()
    if isinstance(exc, DatabaseError):
        # The operation's transaction rolled back: say so in JSON, and let the caller retry.
        log.exception(view.database_error_log, {"endpoint": view.endpoint})
        return unavailable(view.database_error_message)
    if isinstance(exc, PlatformUnavailable):
        # An operator's problem (an LMS release the backend cannot load): say so in the log, once per request.
        log.error("The platform backend cannot be loaded: %s", exc)
        return unavailable(PLATFORM_UNAVAILABLE_MESSAGE)
    if isinstance(exc, MissingScope):
        return Response({"user_message": str(exc.detail), "required_scope": exc.scope}, status=exc.status_code)
    if isinstance(exc, RegistrationRefused):
        return Response({"user_message": exc.message}, status=exc.status_code)
    if isinstance(exc, AccountConflict):
        return Response(view.conflict_body(exc.fields), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, IdempotencyKeyReused):
        return Response({"user_message": IDEMPOTENCY_MISMATCH_MESSAGE}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, InvalidAccount):
        return Response(view.invalid_body(exc.field_errors), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, SuspiciousOperation):
        # Django's parsing limits: more fields or files than DATA_UPLOAD_MAX_NUMBER_FIELDS / _FILES.
        message = _("Malformed request: {problem}").format(problem=exc)
        return Response({"user_message": message}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        field_errors = {name: [str(message) for message in messages] for name, messages in detail.items()}
        return Response(view.invalid_body(field_errors), status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is not None:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else None
        response.data = {"user_message": str(detail) if isinstance(detail, str) else response.status_text}
    return response
