"""The OpenAPI description of the registration endpoints, declared with edx-api-doc-tools (served by ``schema``)."""
from edx_api_doc_tools import openapi

from tahoe_registration_plugin.conf import DEFAULTS
from tahoe_registration_plugin.data import IdempotencyKey
from tahoe_registration_plugin.rest_api.serializers import RegistrationSerializer
from tahoe_registration_plugin.rest_api.v2.serializers import RegistrationSerializerV2

# No contact here: the schema generator adds TAHOE_REGISTRATION_API_CONTACT_EMAIL's, when set.
API_INFO = openapi.Info(
    title="Tahoe Registration API",
    default_version="v2",
    description="Register learners into an Open edX site from another system, with a site's API key.",
)

INTEGER = openapi.Schema(type=openapi.TYPE_INTEGER)
STRINGS = openapi.Schema(type=openapi.TYPE_ARRAY, items=openapi.Schema(type=openapi.TYPE_STRING))
WARNINGS = openapi.Schema(
    type=openapi.TYPE_ARRAY, items=openapi.Schema(type=openapi.TYPE_STRING),
    description="Present only when the account was created but its email could not be handed over.",
)


def _message(description):
    return openapi.Response(description, openapi.Schema(
        type=openapi.TYPE_OBJECT, required=["user_message"],
        properties={"user_message": openapi.Schema(type=openapi.TYPE_STRING)},
    ))


def _created(properties, required):
    return openapi.Response("The account was created.", openapi.Schema(
        type=openapi.TYPE_OBJECT, required=required, properties={**properties, "warnings": WARNINGS},
    ))


INVALID = openapi.Response(
    "Invalid request: a field is missing or refused (`field_errors`), or the body is malformed.",
    openapi.Schema(
        type=openapi.TYPE_OBJECT, required=["user_message"],
        properties={
            "user_message": openapi.Schema(type=openapi.TYPE_STRING),
            "field_errors": openapi.Schema(type=openapi.TYPE_OBJECT, additional_properties=STRINGS),
        },
    ),
)
CONFLICT = openapi.Response(
    "The username and/or email already belong to an account (compared case-insensitively).",
    openapi.Schema(
        type=openapi.TYPE_OBJECT, required=["user_message", "invalid-params"],
        properties={"user_message": openapi.Schema(type=openapi.TYPE_STRING), "invalid-params": STRINGS},
    ),
)
COMMON = {
    400: INVALID,
    401: _message("No API key, or an unknown, malformed, revoked or expired one (see `WWW-Authenticate`)."),
    403: _message("The API key belongs to another site than the request's host, or a registration filter of "
                  "the site refused the registration (which may also use another 4xx)."),
    405: _message("Only POST is allowed."),
    409: CONFLICT,
    413: _message("The request body is too large."),
    415: _message("The body is neither JSON, form-urlencoded nor multipart."),
    422: _message("The `Idempotency-Key` was already used with a different body."),
    429: _message("Over the API key's rate; retry after `Retry-After` seconds."),
    503: _message("The API is turned off, the database failed, or the platform cannot be loaded "
                  "(nothing was created): retry later."),
}
IDEMPOTENCY_KEY = openapi.Parameter(
    "Idempotency-Key", openapi.IN_HEADER, type=openapi.TYPE_STRING, required=False,
    min_length=1, max_length=IdempotencyKey.MAX_LENGTH, description=(
        f"Up to {IdempotencyKey.MAX_LENGTH} characters. A retry with the same key and body within "
        f"{IdempotencyKey.REPLAY_WINDOW.total_seconds() / 3600:g} hours returns the first answer."
    ),
)
DESCRIPTION = """
Creates a learner's account on the site of the request's host, with the site's API key in
`Authorization: Token <key>`. The body may be JSON, form-urlencoded or multipart.

| password | `send_activation_email` | the account | email |
|---|---|---|---|
| given | `true` (default) | inactive | activation |
| given | `false` | active | none |
| none | ignored | inactive, with a random password no one is told | set password (activates) |

On a site with a registration extension form, the form's fields are accepted at the top level of
the body and validated by it; other fields are ignored.
"""

V1 = {
    "body": RegistrationSerializer,
    "parameters": [IDEMPOTENCY_KEY],
    "summary": "Register a learner (deprecated: use v2).",
    "description": DESCRIPTION + "\nDeprecated: every answer carries `Deprecation`, `Link` (to v2) and, once set, "
                                 "`Sunset` headers.",
    "responses": {
        200: _created({"user_id": INTEGER, "user_id ": INTEGER}, ["user_id", "user_id "]),
        **COMMON,
        410: _message("v1 has been turned off after its sunset: use v2."),
    },
}
ENROLLMENTS = openapi.Schema(
    type=openapi.TYPE_ARRAY, description="The enrollments made with the account (present when some were asked for).",
    items=openapi.Schema(type=openapi.TYPE_OBJECT, properties={
        "course_id": openapi.Schema(type=openapi.TYPE_STRING), "mode": openapi.Schema(type=openapi.TYPE_STRING),
    }),
)
V2_DESCRIPTION = DESCRIPTION + f"""
With `enrollments` (JSON bodies), the learner is also enrolled in each course, in the same
transaction: all of them and the account, or nothing. A course must belong to the key's site
(its organizations); a course that does not, a mode the course does not offer, or a malformed id
is a 400 naming the item. At most `TAHOE_REGISTRATION_MAX_ENROLLMENTS` ({DEFAULTS['TAHOE_REGISTRATION_MAX_ENROLLMENTS']}
by default) courses per call.
"""

V2 = {
    "body": RegistrationSerializerV2,
    "parameters": [IDEMPOTENCY_KEY],
    "summary": "Register a learner.",
    "description": V2_DESCRIPTION,
    "responses": {200: _created({"user_id": INTEGER, "enrollments": ENROLLMENTS}, ["user_id"]), **COMMON},
}
