"""The committed OpenAPI document is the code's, and the docs page is served."""

import re

import pytest
import yaml
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st
from opaque_keys.edx.keys import CourseKey

from tahoe_registration_plugin.rest_api.schema import COURSE_ID, DEMO_COURSE_ID
from tahoe_registration_plugin.rest_api.v2.serializers import CourseIdField, EnrollmentChangeSerializer
from tahoe_registration_plugin.standalone.management.commands.tahoe_standalone_setup import ensure_demo_courses
from tests.conftest import Caller
from tests.factories import ApiKeyFactory
from tests.live import PROJECT

COMMITTED = PROJECT / "docs" / "openapi.yaml"


def test_the_committed_schema_matches_the_code(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("generate_swagger", str(generated), format="yaml", overwrite=True,
                 generator_class_name="tahoe_registration_plugin.rest_api.schema.RegistrationSchemaGenerator")

    assert generated.read_text() == COMMITTED.read_text(), "docs/openapi.yaml is out of date: run make docs"


def test_the_schema_describes_both_endpoints_and_every_answer():
    document = yaml.safe_load(COMMITTED.read_text())

    assert document["basePath"] == "/tahoe/api"
    assert document["securityDefinitions"]["Token"] == {
        "type": "apiKey", "in": "header", "name": "Authorization",
        "description": "A site's API key: `Token <key>` (or `Bearer <key>`).",
    }
    v1, v2 = document["paths"]["/v1/registrations/"]["post"], document["paths"]["/v2/registrations/"]["post"]
    common = {"200", "400", "401", "403", "405", "409", "413", "415", "422", "429", "503"}
    assert set(v1["responses"]) == common | {"410"}
    assert set(v2["responses"]) == common
    assert v1["responses"]["200"]["schema"]["required"] == ["user_id", "user_id "]
    assert v2["responses"]["200"]["schema"]["required"] == ["user_id"]
    assert [parameter["name"] for parameter in v2["parameters"]] == ["data", "Idempotency-Key"]
    assert v1["parameters"][0]["schema"] == {"$ref": "#/definitions/RegistrationV1"}
    assert v2["parameters"][0]["schema"] == {"$ref": "#/definitions/RegistrationV2"}
    assert set(document["definitions"]) == {"RegistrationV1", "RegistrationV2", "EnrollmentItem", "EnrollmentChange"}
    assert set(document["definitions"]["RegistrationV1"]["properties"]) == {
        "username", "email", "name", "password", "send_activation_email",
    }
    assert set(document["definitions"]["RegistrationV2"]["properties"]) == {
        "username", "email", "name", "password", "send_activation_email", "enrollments",
    }
    # No contact unless the operator sets one.
    assert "contact" not in document["info"]


def test_the_schema_describes_the_journeys_endpoints_with_their_scopes_and_pages():
    document = yaml.safe_load(COMMITTED.read_text())
    paths = document["paths"]

    enroll = paths["/v2/enrollments/"]["post"]
    assert set(enroll["responses"]) == {"200", "400", "401", "403", "405", "413", "415", "422", "429", "503"}
    assert enroll["parameters"][0]["schema"] == {"$ref": "#/definitions/EnrollmentChange"}
    assert set(document["definitions"]["EnrollmentChange"]["properties"]) == {
        "action", "courses", "learners", "mode", "auto_enroll", "email_learners",
    }
    for path, scope in (("/v2/enrollments/", "read"), ("/v2/users/", "read"), ("/v2/courses/", "read")):
        listing = paths[path]["get"]
        assert f"scope `{scope}`" in listing["summary"]
        assert set(listing["responses"]) == {"200", "401", "403", "404", "405", "429", "503"}
        assert listing["responses"]["200"]["schema"]["required"] == ["results", "next"]
    assert "required_scope" in enroll["responses"]["403"]["schema"]["properties"]


def test_the_schema_is_as_strict_as_the_validation():
    document = yaml.safe_load(COMMITTED.read_text())

    for model in ("RegistrationV1", "RegistrationV2"):
        properties = document["definitions"][model]["properties"]
        assert properties["username"] | {"description": ""} == {
            "title": "Username", "type": "string", "minLength": 2, "maxLength": 30, "pattern": "^[A-Za-z0-9_-]+$",
            "description": "",
        }
        assert properties["email"]["maxLength"] == 254
        assert properties["name"]["maxLength"] == 255
        for name, valid in [("username", "alex_u-2"), ("name", "Alex Üserton")]:
            assert re.search(properties[name]["pattern"], valid), name
        for name, invalid in [("username", "alex userton"), ("username", "álex"), ("name", "Alex\nUserton")]:
            assert not re.search(properties[name]["pattern"], invalid), (name, invalid)
    assert document["definitions"]["RegistrationV2"]["properties"]["enrollments"]["maxItems"] == 20
    # test_settings' policy: at least 8 characters, or none at all.
    password = document["definitions"]["RegistrationV1"]["properties"]["password"]["pattern"]
    assert [bool(re.search(password, value)) for value in ("", "eight-ch", "seven-c", "eight\x00ch")] == [
        True, True, False, False,
    ]


def schema_accepts(pattern, value):
    return re.search(pattern, value) is not None


def enrollments_call_accepts(field, value, settings):
    """Whether the enrollments call's validation accepts ``value`` as one item of ``field``."""
    settings.TAHOE_REGISTRATION_ENROLLMENTS_MAX_COURSES = settings.TAHOE_REGISTRATION_ENROLLMENTS_MAX_LEARNERS = 5
    body = {"action": "enroll", "courses": ["course-v1:Org+C+R"], "learners": ["alex"], field: [value]}
    serializer = EnrollmentChangeSerializer(data=body)
    return serializer.is_valid()


COURSE_IDS = ["course-v1:Org+C1+2026", "course-v1:Ünï+b.c:d+e~f", "Org/C1/2026", "O.rg/C-1/R%20", "course-v1:a+b",
              "course-v1:a+b+c+d", "Org/C1", "a:b/c/d", "a/b/c~", "course-v1:a%+b+c", "course-v1:a b+c+d", "",
              "course-v1:Org+C+R\x00"]
LEARNERS = ["alex", "alex_u-2", "Álex Üserton", "alex@example.com", "a.b+c@bücher.de", "alex@xn--bcher-kva.de",
            "", " ", "alex\x07", "a@b", "@example.com", "alex@", "álex@example.com", '"a"@example.com',
            "x@[127.0.0.1]", "a@b@example.com", "alex@exa mple.com",
            "al\u200bex", "alex@exam\u200bple.com", "alex\u202e"]


@pytest.mark.parametrize("field, values, definition", [
    ("courses", COURSE_IDS, ("EnrollmentChange", "courses")),
    ("learners", LEARNERS, ("EnrollmentChange", "learners")),
])
def test_the_enrollments_calls_items_are_described_as_they_are_validated(field, values, definition, settings):
    model, name = definition
    pattern = yaml.safe_load(COMMITTED.read_text())["definitions"][model]["properties"][name]["items"]["pattern"]

    disagreements = [value for value in values
                     if schema_accepts(pattern, value) != enrollments_call_accepts(field, value, settings)]

    assert disagreements == []


def test_a_registrations_course_id_is_described_as_an_enrollments_calls():
    definitions = yaml.safe_load(COMMITTED.read_text())["definitions"]

    assert definitions["EnrollmentItem"]["properties"]["course_id"]["pattern"] == (
        definitions["EnrollmentChange"]["properties"]["courses"]["items"]["pattern"]
    )


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(course_id=st.from_regex(COURSE_ID["pattern"], fullmatch=True))
def test_every_course_id_the_schema_describes_is_one_the_validation_takes(course_id):
    assert CourseIdField().run_validation(course_id) == CourseKey.from_string(course_id)


@pytest.mark.django_db
def test_the_lists_limits_are_the_operators_settings(client, settings):
    settings.TAHOE_REGISTRATION_ENROLLMENTS_MAX_COURSES = 3
    settings.TAHOE_REGISTRATION_ENROLLMENTS_MAX_LEARNERS = 7

    change = client.get("/tahoe/api/swagger.json").json()["definitions"]["EnrollmentChange"]["properties"]

    assert (change["courses"]["minItems"], change["courses"]["maxItems"]) == (1, 3)
    assert (change["learners"]["minItems"], change["learners"]["maxItems"]) == (1, 7)
    assert change["courses"]["description"].startswith("1 to 3 ")
    assert change["learners"]["description"].startswith("1 to 7 ")


@pytest.mark.django_db
def test_the_contact_is_the_operators_setting(client, settings):
    settings.TAHOE_REGISTRATION_API_CONTACT_EMAIL = "integrations@courses.example.com"

    document = client.get("/tahoe/api/swagger.json").json()

    assert document["info"]["contact"] == {"email": "integrations@courses.example.com"}


@pytest.mark.django_db
def test_swagger_ui_has_no_session_login(client, settings):
    # The LMS turns drf-yasg's session login on; its "Django Login" button led to a 404.
    settings.SWAGGER_SETTINGS = {**LMS_SWAGGER_SETTINGS, "USE_SESSION_AUTH": True, "LOGIN_URL": "/login"}

    page = client.get("/tahoe/api/api-docs/")

    assert page.status_code == 200 and b"swagger-ui" in page.content
    assert b"Django Login" not in page.content and b"/login" not in page.content


@pytest.mark.parametrize("path, content", [
    ("/tahoe/api/api-docs/", b"swagger-ui"),
    ("/tahoe/api/swagger.yaml", b"/v2/registrations/"),
])
@pytest.mark.django_db
def test_the_docs_are_served(client, path, content):
    response = client.get(path)

    assert response.status_code == 200
    assert content in response.content


# The LMS's own SWAGGER_SETTINGS say nothing of this API; drf-yasg's default security is Basic.
LMS_SWAGGER_SETTINGS = {"DEFAULT_INFO": "tahoe_registration_plugin.rest_api.docs.API_INFO", "DEEP_LINKING": True}


@pytest.fixture
def lms_like(settings):
    settings.ROOT_URLCONF = "tests.rest_api.lms_like_urls"
    settings.SWAGGER_SETTINGS = LMS_SWAGGER_SETTINGS


@pytest.mark.django_db
@pytest.mark.usefixtures("lms_like")
def test_inside_an_lms_the_docs_are_the_plugins_own_at_its_own_urls(client):
    page = client.get("/tahoe/api/api-docs/")
    redirect = client.get("/tahoe/api/swagger/")

    assert page.status_code == 200 and b"swagger-ui" in page.content
    assert redirect.status_code == 302
    assert redirect["Location"] == "/tahoe/api/api-docs/"


@pytest.mark.django_db
@pytest.mark.usefixtures("lms_like")
def test_inside_an_lms_the_document_says_how_to_call_the_api(client):
    document = client.get("/tahoe/api/swagger.json").json()

    assert document["securityDefinitions"] == {"Token": {
        "type": "apiKey", "in": "header", "name": "Authorization",
        "description": "A site's API key: `Token <key>` (or `Bearer <key>`).",
    }}
    assert document["security"] == [{"Token": []}]
    v1, v2 = document["paths"]["/v1/registrations/"]["post"], document["paths"]["/v2/registrations/"]["post"]
    assert (v1.get("deprecated"), v2.get("deprecated")) == (True, None)
    for operation in (v1, v2):
        assert operation["consumes"] == ["application/json", "application/x-www-form-urlencoded",
                                         "multipart/form-data"]
        assert set(operation["responses"]["401"]["headers"]) >= {"WWW-Authenticate"}
        assert set(operation["responses"]["429"]["headers"]) >= {"Retry-After"}
        assert set(operation["responses"]["503"]["headers"]) >= {"Retry-After"}
    assert all({"Deprecation", "Link", "Sunset"} <= set(response["headers"]) for response in v1["responses"].values())
    assert all("Deprecation" not in response.get("headers", {}) for response in v2["responses"].values())


@pytest.mark.django_db
def test_the_documents_examples_are_requests_that_succeed(client, site):
    """Swagger UI offers them, and schemathesis sends them: on make run's demo courses, each works."""
    ensure_demo_courses()
    examples = yaml.safe_load(COMMITTED.read_text())["definitions"]
    caller = Caller(client, ApiKeyFactory(site=site, scopes=["register", "enroll", "read"]).secret, host=site.domain)

    answers = [
        caller.post(examples["RegistrationV1"]["example"], version="v1").status_code,
        caller.post(examples["RegistrationV2"]["example"], version="v2").status_code,
        caller.enroll(examples["EnrollmentChange"]["example"]).status_code,
    ]

    assert answers == [200, 200, 200]
    assert examples["EnrollmentItem"]["example"] == {"course_id": DEMO_COURSE_ID}


@pytest.mark.django_db
@pytest.mark.parametrize("validators, accepted, refused", [
    # The platform's default policy is two characters at least.
    ([{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 2}}],
     ["", "ab"], ["a"]),
    ([], ["", "a", "x" * 500], ["a\x00"]),
])
def test_the_served_documents_password_is_the_servers_policy(client, settings, validators, accepted, refused):
    settings.AUTH_PASSWORD_VALIDATORS = validators

    pattern = client.get("/tahoe/api/swagger.json").json()["definitions"]["RegistrationV1"]["properties"]["password"][
        "pattern"]

    assert [schema_accepts(pattern, value) for value in accepted + refused] == [True] * len(accepted) + [False] * len(
        refused)
