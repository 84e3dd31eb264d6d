"""
The OpenAPI document as the plugin serves it, whatever the host project's ``SWAGGER_SETTINGS``
say: the API key as its only security scheme, v1 deprecated, each answer's headers, the three
media types every operation accepts, the limits the validation applies, and the contact the
operator sets; and Swagger UI without a session login, which this API does not take.
"""
import copy

from django.urls import path, re_path
from django.views.generic import RedirectView
from drf_yasg import openapi
from drf_yasg.generators import OpenAPISchemaGenerator
from drf_yasg.renderers import SwaggerUIRenderer
from drf_yasg.views import get_schema_view
from edx_api_doc_tools.conf_utils import get_docs_cache_timeout
from rest_framework import permissions

from tahoe_registration_plugin.apps import URL_NAMESPACE
from tahoe_registration_plugin.conf import api_settings
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

# What the validation refuses that drf-yasg cannot read from the fields, as a site with the
# platform's defaults validates it: the username's length (USERNAME_MIN_LENGTH/MAX_LENGTH) and
# characters (Django's slug, as registration_form.validate_username has it unless the site sets
# ENABLE_UNICODE_USERNAME); a full name without control characters. The email's rules (ADR 0006)
# and the password policy (the site's) are described in words: as a pattern, the email's made
# schemathesis's generator fail.
FIELD_LIMITS = {
    "username": {
        "minLength": 2, "maxLength": 30, "pattern": "^[A-Za-z0-9_-]+$",
        "description": "2 to 30 ASCII letters, digits, `_` and `-` (a site with `ENABLE_UNICODE_USERNAME` "
                       "also takes letters of any script, spaces, `.`, `@` and `+`). Unique, in any case.",
    },
    "email": {
        "description": "Unique, in any case. The part before the `@` is ASCII and unquoted; the domain "
                       "(an internationalized one too) is stored in its lower-case ASCII form.",
    },
    "name": {"pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", "description": "The full name."},
    "password": {"description": "The site's password policy applies. Absent, `null` or empty: none "
                                "(the learner gets a set-password email)."},
    "send_activation_email": {"description": "Default `true`. Also `1`/`0`, `yes`/`no`, `on`/`off`, any case."},
}
REGISTRATION_MODELS = ("RegistrationV1", "RegistrationV2")


class RegistrationSchemaGenerator(OpenAPISchemaGenerator):
    """drf-yasg's generator, completed with what its settings or the views cannot say."""

    def get_schema(self, request=None, public=False):
        schema = super().get_schema(request, public)
        schema.security_definitions = SECURITY_DEFINITIONS
        schema.security = [{"Token": []}]
        contact_email = api_settings.api_contact_email
        if contact_email:
            schema.info = copy.copy(schema.info)
            schema.info.contact = openapi.Contact(email=contact_email)
        # (Swagger UI's page asks for the document without its definitions.)
        definitions = getattr(schema, "definitions", None) or {}
        for model in REGISTRATION_MODELS:
            if model in definitions:
                for field, limits in FIELD_LIMITS.items():
                    definitions[model]["properties"][field].update(limits)
        if "RegistrationV2" in definitions:
            definitions["RegistrationV2"]["properties"]["enrollments"]["maxItems"] = api_settings.max_enrollments
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


class RegistrationSwaggerUIRenderer(SwaggerUIRenderer):
    """Swagger UI without drf-yasg's "Django Login" button: the API takes keys, not sessions."""

    def set_context(self, renderer_context, swagger=None):
        super().set_context(renderer_context, swagger)
        renderer_context["USE_SESSION_AUTH"] = False


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
        path("api-docs/", schema_view.as_cached_view(
            timeout, renderer_classes=(RegistrationSwaggerUIRenderer, *schema_view.renderer_classes),
        ), name="apidocs-ui"),
        path("swagger/", RedirectView.as_view(pattern_name=f"{URL_NAMESPACE}:apidocs-ui", permanent=False),
             name="apidocs-ui-swagger"),
    ]
