"""
The OpenAPI document as the plugin serves it, whatever the host project's ``SWAGGER_SETTINGS``
say: the API key as its only security scheme, v1 deprecated, each answer's headers, the three
media types every operation accepts, the limits the validation applies, and the contact the
operator sets; and Swagger UI without a session login, which this API does not take.
"""
import copy

from django.contrib.auth import password_validation
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

# DRF refuses a NUL in any text; check_visible refuses control characters in a name
# or a learner too.
NO_NUL = "^[^\\u0000]*$"
VISIBLE = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"

# What the validation refuses that drf-yasg cannot read from the fields, as a site with the
# platform's defaults validates it: the username's length (USERNAME_MIN_LENGTH/MAX_LENGTH) and
# characters (Django's slug, as registration_form.validate_username has it unless the site sets
# ENABLE_UNICODE_USERNAME); a full name without control characters. The email's rules (ADR 0006)
# are described in words: as a pattern, they made schemathesis's generator fail. The password's
# length comes from the server's validators (``password_limits``); the rest of a policy is words.
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
    "name": {"pattern": VISIBLE, "description": "The full name."},
    "password": {"description": "The site's password policy applies. Absent, `null` or empty: none "
                                "(the learner gets a set-password email)."},
    "send_activation_email": {"description": "Default `true`. Also `1`/`0`, `yes`/`no`, `on`/`off`, any case."},
}
REGISTRATION_MODELS = ("RegistrationV1", "RegistrationV2")
# A learner: a username, or an address whose local part is ASCII, unquoted or quoted without need
# (ADR 0006), and whose domain is as Django 5.2's EmailValidator reads one (4.2's also takes digits
# in the last label; IDNA's finer rules are the validation's); neither with control or invisible
# characters (identities.check_visible).
INVISIBLE = "\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\ufeff"
ATEXT = "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
# Django's domain characters (a-z, 0-9 and U+00A1 to U+FFFF), less the invisible ones.
DOMAIN_CHARACTERS = (
    "A-Za-z0-9\\u00a1-\\u00ac\\u00ae-\\u200a\\u2010-\\u2029\\u202f-\\u205f\\u2065-\\ufefe\\uff00-\\uffff"
)
LEARNER = (
    f"^(?:[^@\\s{INVISIBLE}][^@{INVISIBLE}]*"
    f"|(?:{ATEXT}|\"{ATEXT}\")@(?:[{DOMAIN_CHARACTERS}](?:[{DOMAIN_CHARACTERS}-]*[{DOMAIN_CHARACTERS}])?\\.)+"
    "[A-Za-z\\u00a1-\\uffff]{2,63})$"
)
# A course id as opaque-keys parses one a site's course can have: ``course-v1:Org+Course+Run``, or
# the deprecated ``Org/Course/Run`` of old courses (CourseLocator's ALLOWED_ID_CHARS, and its
# INVALID_CHARS_DEPRECATED for the old form). A library's key parses as a course key too, and is
# refused later as no course of the site: the document leaves it out.
COURSE_ID = {
    "pattern": r"^(?:course-v1:[\w\-~.:]+\+[\w\-~.:]+\+[\w\-~.:]+|[\w.%-]+/[\w.%-]+/[\w.%-]+)$",
}


# What Swagger UI offers to send, and schemathesis's examples phase sends: requests that succeed on
# ``make run``'s server, whose demo courses they name (the fuzz server has them too).
DEMO_COURSE_ID = "course-v1:LocalX+Demo+2026"
EXAMPLES = {
    "RegistrationV1": {"username": "auserton", "email": "alex.userton@example.com", "name": "Alex Userton"},
    "RegistrationV2": {"username": "bsmith", "email": "b.smith@example.com", "name": "Bea Smith",
                       "enrollments": [{"course_id": DEMO_COURSE_ID, "mode": "verified"}]},
    "EnrollmentItem": {"course_id": DEMO_COURSE_ID},
    "EnrollmentChange": {"action": "enroll", "courses": [DEMO_COURSE_ID],
                         "learners": ["auserton", "new.hire@example.com"]},
}


def password_limits():
    """
    The password's length as the server's password validators bound it (Django's and the
    platform's length validators carry ``min_length``/``max_length``): empty means none, so the
    bounds apply to a non-empty password only, which a pattern can say and ``minLength`` cannot.
    """
    validators = password_validation.get_default_password_validators()
    shortest = max((getattr(validator, "min_length", 0) or 0 for validator in validators), default=0)
    longest = min((validator.max_length for validator in validators if getattr(validator, "max_length", None)),
                  default=None)
    if not shortest and longest is None:
        return {"pattern": NO_NUL}
    bounds = f"{max(shortest, 1)},{'' if longest is None else longest}"
    words = f"at least {shortest}" if longest is None else f"{shortest} to {longest}"
    return {
        "pattern": f"^(?:|[^\\u0000]{{{bounds}}})$",
        "description": f"The site's password policy applies (this server's: {words} characters). Absent, `null` "
                       "or empty: none (the learner gets a set-password email).",
    }


def describe_enrollment_change(model):
    """The enrollments call's lists: bounded by the operator's settings, each item as the validation reads it."""
    properties = model["properties"]
    courses, learners = api_settings.enrollments_max_courses, api_settings.enrollments_max_learners
    properties["courses"].update(minItems=1, maxItems=courses,
                                 description=f"1 to {courses} course ids of the site (a setting).")
    properties["courses"]["items"].update(COURSE_ID)
    properties["learners"].update(minItems=1, maxItems=learners,
                                  description=f"1 to {learners} emails or usernames (a setting).")
    properties["learners"]["items"]["pattern"] = LEARNER
    properties["mode"]["pattern"] = NO_NUL


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
        limits_of = {**FIELD_LIMITS, "password": {**FIELD_LIMITS["password"], **password_limits()}}
        for model in REGISTRATION_MODELS:
            if model in definitions:
                for field, limits in limits_of.items():
                    definitions[model]["properties"][field].update(limits)
        if "RegistrationV2" in definitions:
            definitions["RegistrationV2"]["properties"]["enrollments"]["maxItems"] = api_settings.max_enrollments
        if "EnrollmentItem" in definitions:
            definitions["EnrollmentItem"]["properties"]["course_id"].update(COURSE_ID)
            definitions["EnrollmentItem"]["properties"]["mode"]["pattern"] = NO_NUL
        if "EnrollmentChange" in definitions:
            describe_enrollment_change(definitions["EnrollmentChange"])
        for model, example in EXAMPLES.items():
            if model in definitions:
                definitions[model]["example"] = example
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
