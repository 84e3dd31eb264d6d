"""
The registration endpoint, field by field and status by status, on both backends (``caller``).

Tests parametrized over ``version`` hold for v1 and v2 alike; the version-specific bodies and
v1's deprecation headers have tests of their own.
"""
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tahoe_registration_plugin.models import RegistrationRecord
from tests.conftest import Caller
from tests.factories import UserFactory

User = get_user_model()
VERSIONS = pytest.mark.parametrize("version", ["v1", "v2"])
PASSWORD = "correct-horse-battery"


def only_user():
    assert User.objects.count() == 1
    return User.objects.get()


@pytest.mark.django_db(transaction=True)
@VERSIONS
@pytest.mark.parametrize("fmt", ["json", "form", "multipart"])
def test_the_seed_request_creates_an_inactive_learner_with_a_set_password_email(
    caller, api_key, learner, site, version, fmt
):
    response = caller.post(learner, version=version, fmt=fmt)

    assert response.status_code == 200, response.content
    user = only_user()
    assert response.json()["user_id"] == user.pk
    profile = (user.username, user.email, user.profile.name)
    assert profile == ("auserton", "alex.userton@example.com", "Alex Userton")
    assert not user.is_active
    assert user.has_usable_password()  # a random one no one knows: "forgot password" accepts the account
    assert len(mail.outbox) == 1
    assert "password" in mail.outbox[0].subject.lower()
    assert mail.outbox[0].to == ["alex.userton@example.com"]
    record = RegistrationRecord.objects.get()
    assert (record.user, record.site, record.api_key, record.api_version) == (user, site, api_key, version)


@pytest.mark.django_db(transaction=True)
@VERSIONS
@pytest.mark.parametrize("flag", [None, True, "true", "True", "TRUE", "1", "yes", "on", 1])
def test_a_password_with_activation_email_creates_an_inactive_account_and_sends_the_activation(
    caller, learner, version, flag
):
    body = {**learner, "password": PASSWORD}
    if flag is not None:
        body["send_activation_email"] = flag
    response = caller.post(body, version=version)

    assert response.status_code == 200, response.content
    user = only_user()
    assert not user.is_active
    assert user.check_password(PASSWORD)
    assert len(mail.outbox) == 1
    assert "Activate" in mail.outbox[0].subject
    assert mail.outbox[0].to == ["alex.userton@example.com"]


@pytest.mark.django_db(transaction=True)
@VERSIONS
@pytest.mark.parametrize("flag", [False, "false", "False", "FALSE", "0", "no", "off", 0])
def test_a_password_without_activation_email_creates_an_active_account_and_sends_nothing(
    caller, learner, version, flag
):
    response = caller.post({**learner, "password": PASSWORD, "send_activation_email": flag}, version=version)

    assert response.status_code == 200, response.content
    user = only_user()
    assert user.is_active
    assert user.check_password(PASSWORD)
    assert not mail.outbox


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["form", "multipart"])
def test_form_bodies_read_the_flag_and_its_absence_like_json(caller, learner, fmt):
    caller.post({**learner, "password": PASSWORD, "send_activation_email": "False"}, fmt=fmt)
    caller.post({"username": "second", "email": "second@example.com", "name": "Second", "password": PASSWORD}, fmt=fmt)

    assert User.objects.get(username="auserton").is_active
    assert not User.objects.get(username="second").is_active
    assert [message.to for message in mail.outbox] == [["second@example.com"]]


@pytest.mark.django_db(transaction=True)
@VERSIONS
@pytest.mark.parametrize("password", [None, ""])
@pytest.mark.parametrize("flag", [True, False])
def test_an_empty_or_null_password_means_none_and_the_flag_is_ignored(caller, learner, version, password, flag):
    response = caller.post({**learner, "password": password, "send_activation_email": flag}, version=version)

    assert response.status_code == 200, response.content
    user = only_user()
    assert not user.is_active
    assert user.has_usable_password()  # a random one no one knows: "forgot password" accepts the account
    assert len(mail.outbox) == 1
    assert "password" in mail.outbox[0].subject.lower()


@pytest.mark.django_db(transaction=True)
@VERSIONS
@pytest.mark.parametrize("flag", [None, "", "null"])
def test_a_null_flag_means_the_default(caller, learner, version, flag):
    response = caller.post({**learner, "password": PASSWORD, "send_activation_email": flag}, version=version)

    assert response.status_code == 200
    assert not only_user().is_active
    assert "Activate" in mail.outbox[0].subject


@VERSIONS
def test_surrounding_whitespace_is_stripped(caller, version):
    response = caller.post({"username": "  auserton ", "email": " a@example.com ", "name": "  Alex  "}, version=version)

    assert response.status_code == 200, response.content
    user = only_user()
    assert (user.username, user.email, user.profile.name) == ("auserton", "a@example.com", "Alex")


@pytest.mark.django_db(transaction=True)
@VERSIONS
def test_other_fields_never_reach_account_creation(caller, learner, version):
    response = caller.post(
        {**learner, "is_staff": True, "is_superuser": True, "is_active": True, "provider": "x", "honor_code": "false"},
        version=version,
    )

    assert response.status_code == 200
    user = only_user()
    assert not (user.is_staff or user.is_superuser or user.is_active)


# --- 400: invalid input changes nothing ------------------------------------------------------

INVALID_BODIES = [
    ({"email": "a@example.com", "name": "A"}, "username", "This field is required."),
    ({"username": "auserton", "name": "A"}, "email", "This field is required."),
    ({"username": "auserton", "email": "a@example.com"}, "name", "This field is required."),
    ({"username": "auserton", "email": "a@example.com", "name": "   "}, "name", "This field may not be blank."),
    ({"username": "auserton", "email": "a@example.com", "name": "n" * 256}, "name",
     "Ensure this field has no more than 255 characters."),
    ({"username": "auserton", "email": "not-an-email", "name": "A"}, "email", "Enter a valid email address."),
    ({"username": "auserton", "email": "a" * 245 + "@example.com", "name": "A"}, "email",
     "Ensure this field has no more than 254 characters."),
    ({"username": "%%%%%%%", "email": "a@example.com", "name": "A"}, "username",
     "Usernames can only contain letters (A-Z, a-z), numerals (0-9), underscores (_), and hyphens (-)."),
    ({"username": "a", "email": "a@example.com", "name": "A"}, "username",
     "Username must be between 2 and 30 characters long."),
    ({"username": "u" * 31, "email": "a@example.com", "name": "A"}, "username",
     "Username must be between 2 and 30 characters long."),
    ({"username": 12345, "email": "a@example.com", "name": "A"}, "username", "Not a valid string."),
    ({"username": "auserton", "email": ["a@example.com"], "name": "A"}, "email", "Not a valid string."),
    ({"username": "auserton", "email": "a@example.com", "name": {"first": "A"}}, "name", "Not a valid string."),
    ({"username": "foobar", "email": "a@example.com", "name": "A", "password": "foobar"}, "password",
     "The password is too similar to the username."),
    ({"username": "auserton", "email": "a@example.com", "name": "A", "send_activation_email": "maybe"},
     "send_activation_email", "Must be a boolean: true or false."),
    ({"username": "auserton", "email": "a@example.com", "name": "A", "send_activation_email": 2},
     "send_activation_email", "Must be a boolean: true or false."),
    ({"username": "auser\x00ton", "email": "a@example.com", "name": "A"}, "username",
     "Null characters are not allowed."),
]


@VERSIONS
def test_the_sites_password_policy_refuses_a_short_password(caller, version, settings):
    # Set here: an LMS's own policy (a minimum of 2 characters by default) would accept it.
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    ]

    response = caller.post({"username": "auserton", "email": "a@example.com", "name": "A", "password": "short"},
                           version=version)

    assert response.status_code == 400
    assert response.json()["field_errors"] == {
        "password": ["This password is too short. It must contain at least 8 characters."]
    }
    assert not User.objects.exists()


@VERSIONS
@pytest.mark.parametrize("body, field, message", INVALID_BODIES)
def test_invalid_fields_are_a_400_naming_the_field_and_change_nothing(caller, version, body, field, message):
    response = caller.post(body, version=version)

    assert response.status_code == 400
    assert message in response.json()["field_errors"][field]
    assert not User.objects.exists()
    assert not RegistrationRecord.objects.exists()
    assert not mail.outbox


def test_v1_400_body(caller):
    response = caller.post({"username": "auserton", "name": "A"})

    assert response.json() == {
        "user_message": "Invalid parameters on user creation",
        "field_errors": {"email": ["This field is required."]},
    }


def test_v2_400_body_names_what_is_wrong(caller):
    response = caller.post({"username": "auserton", "name": "A"}, version="v2")

    assert response.json() == {
        "user_message": "Invalid parameters on user creation (email: This field is required.)",
        "field_errors": {"email": ["This field is required."]},
    }


@VERSIONS
@pytest.mark.parametrize("raw, content_type", [
    (b'{"username": "auserton",', "application/json"),
    (b"[1, 2, 3]", "application/json"),
    (b'"a string"', "application/json"),
])
def test_malformed_json_or_a_non_object_is_a_400(caller, version, raw, content_type):
    response = caller.client.post(
        f"/tahoe/api/{version}/registrations/", raw, content_type=content_type,
        HTTP_HOST=caller.host, HTTP_AUTHORIZATION=f"Token {caller.secret}",
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["user_message"]
    assert not User.objects.exists()


# --- 409: conflicts ---------------------------------------------------------------------------

CONFLICTS = [
    ({"username": "AUSERTON"}, ["username"], "Username already exists"),
    ({"email": "Alex.Userton@EXAMPLE.com"}, ["email"], "Email already exists"),
    ({"username": "AUserton", "email": "ALEX.USERTON@example.com"}, ["email", "username"],
     "Both email and username already exist"),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("changes, fields, v2_message", CONFLICTS)
def test_an_existing_username_or_email_in_any_case_is_a_409(caller, learner, changes, fields, v2_message):
    UserFactory(username="auserton", email="alex.userton@example.com")
    body = {**learner, "username": "someone-else", "email": "someone@example.com", **changes}

    v1 = caller.post(body)
    v2 = caller.post(body, version="v2")

    assert (v1.status_code, v2.status_code) == (409, 409)
    assert v1.json() == {"user_message": "User already exists", "invalid-params": fields}
    assert v2.json() == {"user_message": v2_message, "invalid-params": fields}
    assert User.objects.count() == 1
    assert not mail.outbox


# --- Response shapes and HTTP behaviour -------------------------------------------------------

def test_v1_success_body_has_both_user_id_spellings(caller, learner):
    response = caller.post(learner)

    user_id = only_user().pk
    assert response.json() == {"user_id": user_id, "user_id ": user_id}


def test_v2_success_body(caller, learner):
    response = caller.post(learner, version="v2")

    assert response.json() == {"user_id": only_user().pk}


@VERSIONS
def test_the_path_without_trailing_slash_registers_without_redirect(caller, learner, version):
    response = caller.post(learner, path=f"/tahoe/api/{version}/registrations")

    assert response.status_code == 200
    assert User.objects.count() == 1


@VERSIONS
@pytest.mark.parametrize("method", ["get", "put", "patch", "delete", "options", "head"])
def test_other_methods_are_405_with_allow_post(client, api_key, version, method):
    response = getattr(client, method)(
        f"/tahoe/api/{version}/registrations/",
        HTTP_HOST="lms.example.com", HTTP_AUTHORIZATION=f"Token {api_key.secret}",
    )

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    if method != "head":
        assert response.json() == {"user_message": f'Method "{method.upper()}" not allowed.'}


@VERSIONS
def test_other_content_types_are_a_415(caller, version):
    response = caller.client.post(
        f"/tahoe/api/{version}/registrations/", "username=auserton", content_type="text/plain",
        HTTP_HOST=caller.host, HTTP_AUTHORIZATION=f"Token {caller.secret}",
    )

    assert response.status_code == 415
    assert response.json() == {"user_message": 'Unsupported media type "text/plain" in request.'}


@VERSIONS
def test_a_body_over_the_limit_is_a_413(caller, learner, version, settings):
    settings.TAHOE_REGISTRATION_MAX_BODY_BYTES = 1024
    response = caller.post({**learner, "name": "n" * 2000}, version=version)

    assert response.status_code == 413
    assert response.json() == {"user_message": "Request body too large: at most 1024 bytes are accepted."}
    assert not User.objects.exists()


@VERSIONS
def test_answers_are_json_whatever_the_accept_header(caller, learner, version):
    response = caller.post(learner, version=version, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@VERSIONS
def test_no_cookie_is_set_and_nobody_is_logged_in(caller, learner, version):
    response = caller.post({**learner, "password": PASSWORD, "send_activation_email": False}, version=version)

    assert response.status_code == 200
    assert not response.cookies
    assert "_auth_user_id" not in caller.client.session


@pytest.mark.django_db(transaction=True)
def test_a_registration_with_a_known_key_only_writes(client, api_key, learner):
    """No query for the key (it is in the cache) and no conflict query (the unique indexes refuse a duplicate)."""
    caller = Caller(client, api_key.secret)
    assert caller.post({**learner, "username": "first", "email": "first@example.com"}).status_code == 200

    with CaptureQueriesContext(connection) as queries:
        response = caller.post(learner)

    assert response.status_code == 200
    statements = [query["sql"].split()[0].upper() for query in queries.captured_queries]
    # The user, its profile, its activation record and the audit record (SQLite also logs BEGIN and COMMIT).
    assert [statement for statement in statements if statement not in ("BEGIN", "COMMIT")] == ["INSERT"] * 4
    assert caller.post(learner).status_code == 409
