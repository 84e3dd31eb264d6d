"""``POST /tahoe/api/v1/registrations/``: deprecated, answered as the Tahoe API answered it."""
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from edx_api_doc_tools import schema

from tahoe_registration_plugin import toggles
from tahoe_registration_plugin.apps import URL_NAMESPACE
from tahoe_registration_plugin.rest_api import docs
from tahoe_registration_plugin.rest_api.exceptions import Gone
from tahoe_registration_plugin.rest_api.serializers import RegistrationSerializer
from tahoe_registration_plugin.rest_api.views import RegistrationView

SUCCESSOR_URL_NAME = f"{URL_NAMESPACE}:v2:registrations"


@method_decorator(schema(**docs.V1), name="post")
class RegistrationViewV1(RegistrationView):
    """Every answer, errors included, carries the deprecation headers pointing to v2."""

    api_version = "v1"
    serializer_class = RegistrationSerializer

    def check_version_available(self):
        if toggles.v1_disabled():
            raise Gone(_("Version 1 of this API has been retired: use {url} instead.").format(
                url=self.successor_url(self.request)
            ))

    def successor_url(self, request):
        """v2's absolute URL on the request's own host and scheme."""
        path = self.site_settings.v1_successor_path or reverse(SUCCESSOR_URL_NAME)
        return request.build_absolute_uri(path)

    def success_body(self, result):
        # The Tahoe document spells the key with a trailing space and clients read it that way.
        return {"user_id": result.user_id, "user_id ": result.user_id}

    # The Tahoe document's two messages, which clients match on: never translated.
    def conflict_body(self, fields):
        return {"user_message": "User already exists", "invalid-params": fields}

    def invalid_body(self, field_errors):
        return {"user_message": "Invalid parameters on user creation", "field_errors": field_errors}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Deprecation"] = f"@{int(self.site_settings.v1_deprecation_date.timestamp())}"
        response["Link"] = f'<{self.successor_url(request)}>; rel="successor-version"'
        sunset = self.site_settings.v1_sunset_date
        if sunset is not None:
            response["Sunset"] = http_date(sunset.timestamp())
        return response
