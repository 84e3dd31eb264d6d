"""
The OpenAPI document as the plugin serves it, whatever the host project's ``SWAGGER_SETTINGS``
say: the API key as its only security scheme, v1 deprecated, each answer's headers, and the three
media types every operation accepts.
"""
from django.urls import path, re_path
from django.views.generic import RedirectView
from drf_yasg.generators import OpenAPISchemaGenerator
from drf_yasg.views import get_schema_view
from edx_api_doc_tools.conf_utils import get_docs_cache_timeout
from rest_framework import permissions

from tahoe_registration_plugin.apps import URL_NAMESPACE
from tahoe_registration_plugin.rest_api.docs import API_INFO

SECURITY_DEFINITIONS = {
    "Token": {
        "type": "apiKey", "in": "header", "name": "Authorization",
        "description": "A site's API key: `Token <key>` (or `Bearer <key>`).",
    },
}
MEDIA_TYPES = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]
HEADER = {"type": "string"}
V1_HEADERS = {
    "Deprecation": {**HEADER, "description": "When v1 was deprecated: `@<Unix time>`."},
    "Link": {**HEADER, "description": "v2, as `<url>; rel=\"successor-version\"`."},
    "Sunset": {**HEADER, "description": "When v1 stops (an HTTP date), once the operator has set one."},
}
STATUS_HEADERS = {
    "401": {"WWW-Authenticate": {**HEADER, "description": "How to authenticate: `Token realm=...`."}},
    "429": {"Retry-After": {**HEADER, "description": "Seconds until the key's rate allows a request again."}},
    "503": {"Retry-After": {**HEADER, "description": "Seconds after which to try again."}},
}


class RegistrationSchemaGenerator(OpenAPISchemaGenerator):
    """drf-yasg's generator, completed with what its settings or the views cannot say."""

    def get_schema(self, request=None, public=False):
        schema = super().get_schema(request, public)
        schema.security_definitions = SECURITY_DEFINITIONS
        schema.security = [{"Token": []}]
        for api_path, path_item in schema.paths.items():
            operation = path_item.get("post")
            if operation is None:
                continue
            operation["consumes"] = MEDIA_TYPES
            deprecated = api_path.startswith("/v1/")
            if deprecated:
                operation["deprecated"] = True
            for status, response in operation["responses"].items():
                headers = {**(V1_HEADERS if deprecated else {}), **STATUS_HEADERS.get(str(status), {})}
                if headers:
                    response["headers"] = headers
        return schema


def docs_urls(api_patterns):
    """
    The docs' URLs, named within the plugin's namespace: an LMS's own docs use the same names
    (``apidocs-ui``), which un-namespaced redirects would reach instead.
    """
    schema_view = get_schema_view(
        API_INFO, public=True, permission_classes=(permissions.AllowAny,), patterns=api_patterns,
        generator_class=RegistrationSchemaGenerator,
    )
    timeout = get_docs_cache_timeout()
    return [
        re_path(r"^swagger(?P<format>\.json|\.yaml)$", schema_view.without_ui(cache_timeout=timeout),
                name="apidocs-data"),
        path("api-docs/", schema_view.with_ui("swagger", cache_timeout=timeout), name="apidocs-ui"),
        path("swagger/", RedirectView.as_view(pattern_name=f"{URL_NAMESPACE}:apidocs-ui", permanent=False),
             name="apidocs-ui-swagger"),
    ]
