"""
Versions of the API, and their OpenAPI docs, mounted by the plugin's ``url_config`` under ``^tahoe/api/``.

The docs are served here (``/tahoe/api/api-docs/``, ``/tahoe/api/swagger.yaml``) because the
LMS's own ``/api-docs/`` lists only ``/api/*`` endpoints, and these URLs are fixed by the Tahoe API.
"""
from django.urls import include, path

from tahoe_registration_plugin.rest_api import API_ROOT
from tahoe_registration_plugin.rest_api.schema import docs_urls

version_patterns = [
    path("v1/", include("tahoe_registration_plugin.rest_api.v1.urls")),
    path("v2/", include("tahoe_registration_plugin.rest_api.v2.urls")),
]

urlpatterns = version_patterns + docs_urls([path(API_ROOT, include(version_patterns))])
