"""
A caller whose request asks for another language reads the API's messages in it, while every
JSON field name, and v1's fixed Tahoe messages, stay as they are. Uses the dummy locale "eo",
whose catalog (make extract_translations) changes every message visibly.
"""
import pytest

from tahoe_registration_plugin.models import ApiKey
from tests.conftest import Caller


@pytest.fixture
def plain_caller(client, api_key):
    """A caller that sends no Accept-Language of its own; each test chooses one per request."""
    return Caller(client, api_key.secret)


def test_a_refused_field_is_explained_in_the_requests_language(plain_caller, learner):
    response = plain_caller.post({**learner, "email": "alex@exa mple.com", "send_activation_email": "maybe"},
                                 version="v2", HTTP_ACCEPT_LANGUAGE="eo")

    body = response.json()
    assert response.status_code == 400
    assert set(body) == {"user_message", "field_errors"}
    assert set(body["field_errors"]) == {"email", "send_activation_email"}
    assert body["field_errors"]["send_activation_email"] != ["Must be a boolean: true or false."]
    assert body["field_errors"]["send_activation_email"][0].startswith("Müst")
    assert body["user_message"].startswith("Ìnvälïd")
    assert response["Content-Language"] == "eo"


def test_a_conflict_is_explained_in_the_requests_language_and_v1_keeps_the_tahoe_message(plain_caller, learner):
    assert plain_caller.post(learner, version="v2").status_code == 200

    v2 = plain_caller.post(learner, version="v2", HTTP_ACCEPT_LANGUAGE="eo")
    v1 = plain_caller.post(learner, version="v1", HTTP_ACCEPT_LANGUAGE="eo")

    assert v2.status_code == v1.status_code == 409
    assert v2.json()["invalid-params"] == ["email", "username"]
    assert v2.json()["user_message"] != "Both email and username already exist"
    assert v2.json()["user_message"].startswith("Böth")
    assert v1.json() == {"user_message": "User already exists", "invalid-params": ["email", "username"]}


def test_a_revoked_key_is_refused_in_the_requests_language(client, api_key, learner):
    ApiKey.objects.filter(pk=api_key.pk).revoke()

    response = Caller(client, api_key.secret).post(learner, version="v2", HTTP_ACCEPT_LANGUAGE="eo")

    assert response.status_code == 401
    assert list(response.json()) == ["user_message"]
    assert response.json()["user_message"].startswith("Thïs ÀPÌ kéý")


def test_without_a_language_the_messages_are_english(plain_caller, learner):
    response = plain_caller.post({**learner, "send_activation_email": "maybe"}, version="v2")

    assert response.json()["field_errors"]["send_activation_email"] == ["Must be a boolean: true or false."]
