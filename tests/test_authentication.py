"""Contract section 2: who may call, on which site, how often; and how keys are kept."""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tahoe_registration_plugin import keys
from tahoe_registration_plugin.models import ApiKey
from tests.conftest import OTHER_HOST, Caller
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


@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.usefixtures("other_site")
def test_a_key_of_another_site_is_a_403(client, api_key, learner, version):
    response = Caller(client, api_key.secret, host=OTHER_HOST).post(learner, version=version)

    assert_refused(response, 403, "This API key does not belong to this site.")


def test_the_key_works_on_its_own_site_host_in_any_case_and_with_a_port(client, api_key, learner):
    response = Caller(client, api_key.secret, host="LMS.Example.com:8000").post(learner)

    assert response.status_code == 200


def test_the_database_holds_no_usable_key(api_key):
    row = ApiKey.objects.filter(pk=api_key.pk).values().get()

    assert api_key.secret not in repr(row)
    assert row["key_hash"] == keys.hash_key(api_key.secret)
    assert row["prefix"] == api_key.secret[:8]
    assert len(api_key.secret.split(".", 1)[1]) >= 40  # 256 random bits, base64url


def test_keys_are_random_and_distinct(site):
    secrets = {ApiKeyFactory(site=site).secret for _ in range(20)}

    assert len(secrets) == 20


def test_lookup_is_one_indexed_query_whatever_the_number_of_keys(site):
    wanted = ApiKeyFactory(site=site)
    ApiKeyFactory.create_batch(50, site=site)

    with CaptureQueriesContext(connection) as queries:
        found = ApiKey.objects.get_by_secret(wanted.secret)

    assert found == wanted
    assert len(queries) == 1
    assert ApiKey._meta.get_field("key_hash").unique  # the index the query uses


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


# --- Throttling -------------------------------------------------------------------------------

def test_the_rate_per_key_answers_429_with_retry_after(client, site, settings):
    settings.TAHOE_REGISTRATION_RATE = "3/minute"
    busy, quiet = ApiKeyFactory(site=site), ApiKeyFactory(site=site)
    caller = Caller(client, busy.secret)

    statuses = [
        caller.post({"username": f"user{n}", "email": f"user{n}@example.com", "name": "N"}).status_code
        for n in range(4)
    ]
    refused = caller.post({"username": "late", "email": "late@example.com", "name": "N"})

    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["user_message"].startswith("Request was throttled.")
    assert User.objects.count() == 3
    # Another key of the same site has its own count.
    other = Caller(client, quiet.secret).post({"username": "other", "email": "other@example.com", "name": "N"})
    assert other.status_code == 200


def test_the_default_rate_is_60_a_minute(client, api_key):
    caller = Caller(client, api_key.secret)
    statuses = [caller.post({"username": "x"}).status_code for _ in range(61)]

    assert statuses == [400] * 60 + [429]
