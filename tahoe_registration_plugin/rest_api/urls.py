"""
Versions of the API, and their OpenAPI docs, mounted by the plugin's ``url_config`` under ``^tahoe/api/``.

The docs are served here (``/tahoe/api/api-docs/``, ``/tahoe/api/swagger.yaml``) because the
LMS's own ``/api-docs/`` lists only ``/api/*`` endpoints, and these URLs are fixed by the Tahoe API.
"""
from django.urls import include, path
from edx_api_doc_tools import make_docs_urls

from tahoe_registration_plugin.rest_api.docs import API_INFO

version_patterns = [
    path("v1/", include("tahoe_registration_plugin.rest_api.v1.urls")),
    path("v2/", include("tahoe_registration_plugin.rest_api.v2.urls")),
]

urlpatterns = version_patterns + make_docs_urls(API_INFO, [path("tahoe/api/", include(version_patterns))])
