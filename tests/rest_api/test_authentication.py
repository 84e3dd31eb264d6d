"""Who may call: a valid key in ``Authorization``, else a 401 that says how to authenticate."""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tahoe_registration_plugin.models import ApiKey
from tests.conftest import Caller
from tests.factories import ApiKeyFactory

User = get_user_model()


WWW_AUTHENTICATE = 'Token realm="tahoe-registration"'


def assert_refused(response, status, message):
    assert response.status_code == status
    assert response.json() == {"user_message": message}
    assert not User.objects.exists()


@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.parametrize("authorization, message", [
    (None, "Authentication required: send 'Authorization: Token <key>'."),
    ("Token", "Malformed Authorization header: use 'Token <key>'."),
    ("Token a b", "Malformed Authorization header: use 'Token <key>'."),
    ("Basic dXNlcjpwYXNz", "Malformed Authorization header: use 'Token <key>'."),
    ("Token 0123abcd.not-a-real-key", "Invalid API key."),
    ("Token " + "0" * 40, "Invalid API key."),
    ("Token caf\u00e9", "Invalid API key."),
])
@pytest.mark.usefixtures("site")
def test_missing_malformed_or_unknown_keys_are_a_401_with_www_authenticate(
    client, learner, version, authorization, message
):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = Caller(client, None).post(learner, version=version, **headers)

    assert_refused(response, 401, message)
    assert response["WWW-Authenticate"] == WWW_AUTHENTICATE


def test_a_revoked_key_is_a_401(client, api_key, learner):
    api_key.revoke()
    response = Caller(client, api_key.secret).post(learner)

    assert_refused(response, 401, "This API key has been revoked.")
    assert response["WWW-Authenticate"] == WWW_AUTHENTICATE


def test_an_expired_key_is_a_401_and_one_not_yet_expired_works(client, site, learner):
    expired = ApiKeyFactory(site=site, expires_at=timezone.now() - datetime.timedelta(seconds=1))
    current = ApiKeyFactory(site=site, expires_at=timezone.now() + datetime.timedelta(days=1))

    response = Caller(client, expired.secret).post(learner)
    assert_refused(response, 401, "This API key has expired.")
    assert response["WWW-Authenticate"] == WWW_AUTHENTICATE
    assert Caller(client, current.secret).post(learner).status_code == 200


@pytest.mark.parametrize("keyword", ["Token", "Bearer", "token", "BEARER"])
def test_token_and_bearer_keywords_are_accepted(client, api_key, learner, keyword):
    response = Caller(client, None).post(learner, HTTP_AUTHORIZATION=f"{keyword} {api_key.secret}")

    assert response.status_code == 200


def test_last_used_is_written_at_most_once_a_minute(client, api_key, learner):
    caller = Caller(client, api_key.secret)
    caller.post(learner)
    first_use = ApiKey.objects.get(pk=api_key.pk).last_used_at
    assert first_use is not None

    caller.post({**learner, "username": "second", "email": "second@example.com"})
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at == first_use

    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=first_use - datetime.timedelta(seconds=61))
    caller.post({**learner, "username": "third", "email": "third@example.com"})
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at > first_use
