"""
Every answer under ``/tahoe/api/`` is JSON, including those made outside the plugin's views: an
unknown path, or a middleware that failed before the view ran (the site lookup, with the database
down longer than the site cache). The plugin's settings put this middleware first.
"""
import sys

from django.db import DatabaseError
from django.http import JsonResponse

from tahoe_registration_plugin.rest_api import API_ROOT
from tahoe_registration_plugin.rest_api.exceptions import DATABASE_ERROR_MESSAGE, unavailable

# Read before any URL is resolved (an unknown path too), so not from the URLconf.
API_PATH_PREFIX = f"/{API_ROOT}"
# The headers of an error answer that a client acts on.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")
EXCEPTION_ATTRIBUTE = "tahoe_registration_exception"


def remember_exception(sender, request=None, **kwargs):  # pylint: disable=unused-argument
    """``got_request_exception`` receiver: keep the exception Django is answering for, for the middleware."""
    if request is not None and request.path.startswith(API_PATH_PREFIX):
        setattr(request, EXCEPTION_ATTRIBUTE, sys.exc_info()[1])


class JsonErrorsUnderApiMiddleware:
    """Turns an error answer under the API's path that is not JSON into JSON, with the same status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not request.path.startswith(API_PATH_PREFIX)
            or response.status_code < 400
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        if isinstance(getattr(request, EXCEPTION_ATTRIBUTE, None), DatabaseError):
            return unavailable(DATABASE_ERROR_MESSAGE, JsonResponse)
        answer = JsonResponse({"user_message": response.reason_phrase}, status=response.status_code)
        for header in KEPT_HEADERS:
            if header in response:
                answer[header] = response[header]
        return answer
