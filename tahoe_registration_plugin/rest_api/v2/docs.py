"""The OpenAPI description of the enrollments, users and courses endpoints (CONTRACT §8–§12)."""
from edx_api_doc_tools import openapi, query_parameter

from tahoe_registration_plugin.conf import DEFAULTS
from tahoe_registration_plugin.rest_api.docs import IDEMPOTENCY_KEY, INVALID, _message
from tahoe_registration_plugin.rest_api.v2.serializers import EnrollmentChangeSerializer

STRING = openapi.Schema(type=openapi.TYPE_STRING)
NULLABLE_STRING = openapi.Schema(type=openapi.TYPE_STRING, x_nullable=True)
DATETIME = openapi.Schema(type=openapi.TYPE_STRING, format=openapi.FORMAT_DATETIME, x_nullable=True)
INTEGER = openapi.Schema(type=openapi.TYPE_INTEGER)
BOOLEAN = openapi.Schema(type=openapi.TYPE_BOOLEAN)
NEXT = openapi.Schema(type=openapi.TYPE_STRING, format=openapi.FORMAT_URI, x_nullable=True,
                      description="The next page (at most 100 results a page), or null on the last.")
PAGE = openapi.Parameter("page", openapi.IN_QUERY, type=openapi.TYPE_INTEGER, required=False,
                         description="The page, from 1 (follow `next` rather than counting).")
COMMON = {
    401: _message("No API key, or an unknown, malformed, revoked or expired one (see `WWW-Authenticate`)."),
    403: openapi.Response(
        "The API key belongs to another site than the request's host, or lacks the scope (`required_scope`).",
        openapi.Schema(type=openapi.TYPE_OBJECT, required=["user_message"], properties={
            "user_message": STRING, "required_scope": STRING,
        }),
    ),
    405: _message("The method is not allowed."),
    429: _message("Over the API key's rate (shared by every endpoint); retry after `Retry-After` seconds."),
    503: _message("The API is turned off, the database failed, or the platform cannot be loaded "
                  "(nothing was changed): retry later."),
}


NO_SUCH_PAGE = {404: _message("No such page (`page` past the last, or not a page number).")}


def _page(item_properties):
    return openapi.Response("A page of results.", openapi.Schema(
        type=openapi.TYPE_OBJECT, required=["results", "next"], properties={
            "results": openapi.Schema(type=openapi.TYPE_ARRAY, items=openapi.Schema(
                type=openapi.TYPE_OBJECT, properties=item_properties,
            )),
            "next": NEXT,
        },
    ))


RESULT = openapi.Schema(type=openapi.TYPE_OBJECT, required=["learner", "course_id", "user_id", "mode", "status"],
                        properties={
                            "learner": STRING, "course_id": STRING,
                            "user_id": openapi.Schema(type=openapi.TYPE_INTEGER, x_nullable=True),
                            "mode": NULLABLE_STRING,
                            "status": openapi.Schema(type=openapi.TYPE_STRING, enum=[
                                "enrolled", "already_enrolled", "pre_enrolled", "unknown_learner", "unenrolled",
                                "not_enrolled", "pre_enrollment_removed",
                            ]),
                        })
ENROLLMENTS_POST = {
    "body": EnrollmentChangeSerializer,
    "parameters": [IDEMPOTENCY_KEY],
    "summary": "Enroll or unenroll learners in the site's courses (scope `enroll`).",
    "description": f"""
Enrolls (or unenrolls) each learner, named by email or username, in each course: at most
{DEFAULTS['TAHOE_REGISTRATION_ENROLLMENTS_MAX_LEARNERS']} learners and
{DEFAULTS['TAHOE_REGISTRATION_ENROLLMENTS_MAX_COURSES']} courses a call (settings). One result per
(learner, course), learner by learner. An email with no account on the site is pre-enrolled
(with `auto_enroll`, the default), and enrolled when its account is activated. Every outcome
happens, or none does; a learner who is not the site's is answered as one who does not exist.
""",
    "responses": {
        200: openapi.Response("Every change was made.", openapi.Schema(
            type=openapi.TYPE_OBJECT, required=["action", "results"], properties={
                "action": STRING, "results": openapi.Schema(type=openapi.TYPE_ARRAY, items=RESULT),
                "warnings": openapi.Schema(type=openapi.TYPE_ARRAY, items=STRING, description=(
                    "Present only when enrollment emails could not be handed over.")),
            },
        )),
        400: INVALID,
        **COMMON,
        413: _message("The request body is too large."),
        415: _message("The body is neither JSON, form-urlencoded nor multipart."),
        422: _message("The `Idempotency-Key` was already used with a different body."),
    },
}
ENROLLMENTS_GET = {
    "parameters": [
        query_parameter("course_id", str, "Only this course's enrollments."),
        query_parameter("learner", str, "Only this learner's (an email or a username)."), PAGE,
    ],
    "summary": "The site's enrollments (scope `read`).",
    "responses": {200: _page({"user_id": INTEGER, "username": STRING, "course_id": STRING, "mode": STRING,
                              "is_active": BOOLEAN, "created": DATETIME}), **COMMON, **NO_SUCH_PAGE},
}
USERS_GET = {
    "parameters": [
        query_parameter("email", str, "The learner with this email (compared as registrations compare it)."),
        query_parameter("username", str, "The learner with this username."), PAGE,
    ],
    "summary": "One of the site's learners, or all of them (scope `read`).",
    "responses": {200: _page({
        "user_id": INTEGER, "username": STRING, "email": STRING, "name": STRING, "is_active": BOOLEAN,
        "date_joined": DATETIME, "enrollments": openapi.Schema(type=openapi.TYPE_ARRAY, items=openapi.Schema(
            type=openapi.TYPE_OBJECT, properties={"course_id": STRING, "mode": STRING, "is_active": BOOLEAN},
        )),
    }), **COMMON, **NO_SUCH_PAGE},
}
COURSES_GET = {
    "parameters": [PAGE],
    "summary": "The site's courses, with the modes each offers now (scope `read`).",
    "responses": {200: _page({
        "course_id": STRING, "name": STRING, "org": STRING, "start": DATETIME, "end": DATETIME,
        "enrollment_start": DATETIME, "enrollment_end": DATETIME,
        "modes": openapi.Schema(type=openapi.TYPE_ARRAY, items=STRING),
    }), **COMMON, **NO_SUCH_PAGE},
}
