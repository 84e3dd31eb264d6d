"""Through the API, an ``Idempotency-Key`` makes a retried registration safe."""
import datetime
import hashlib
import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tahoe_registration_plugin.models import IdempotencyRecord, idempotency_key_digest
from tests.conftest import Caller
from tests.factories import ApiKeyFactory

User = get_user_model()
KEY = {"HTTP_IDEMPOTENCY_KEY": "crm-order-1234"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_a_retry_returns_the_first_answer_without_creating_anything(caller, learner, version):
    first = caller.post(learner, version=version, **KEY)
    again = caller.post(learner, version=version, **KEY)

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert User.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_same_body_in_another_format_or_field_order_is_the_same_request(caller, learner):
    first = caller.post(learner, **KEY)
    reordered = caller.post(dict(reversed(list(learner.items()))), **KEY)

    assert reordered.json() == first.json()


def test_the_same_key_with_another_body_is_a_422(caller, learner):
    caller.post(learner, **KEY)
    response = caller.post({**learner, "name": "Someone Else"}, **KEY)

    assert response.status_code == 422
    assert response.json() == {"user_message": "This Idempotency-Key was already used with a different request body."}
    assert User.objects.count() == 1


def test_without_the_header_a_repeat_is_a_conflict(caller, learner):
    caller.post(learner)

    assert caller.post(learner).status_code == 409


def test_keys_are_scoped_to_the_api_key(client, site, learner):
    first = Caller(client, ApiKeyFactory(site=site).secret).post(learner, **KEY)
    other = Caller(client, ApiKeyFactory(site=site).secret).post(learner, **KEY)

    assert first.status_code == 200
    assert other.status_code == 409


def test_an_expired_key_is_a_new_request(caller, learner):
    caller.post(learner, **KEY)
    IdempotencyRecord.objects.update(created=timezone.now() - datetime.timedelta(hours=24, seconds=1))

    response = caller.post({**learner, "username": "other", "email": "other@example.com"}, **KEY)

    assert response.status_code == 200
    assert User.objects.count() == 2
    assert IdempotencyRecord.objects.get().user_id == response.json()["user_id"]


@pytest.mark.parametrize("key", ["", "k" * 256])
def test_a_key_of_the_wrong_length_is_a_400(caller, learner, key):
    response = caller.post(learner, HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 400
    assert response.json()["field_errors"] == {"Idempotency-Key": ["Must be 1 to 255 characters long."]}
    assert not User.objects.exists()


def test_the_purge_command_deletes_expired_records_only(caller, learner):
    caller.post(learner, **KEY)
    caller.post({**learner, "username": "other", "email": "other@example.com"}, HTTP_IDEMPOTENCY_KEY="fresh")
    IdempotencyRecord.objects.filter(key_digest=idempotency_key_digest(KEY["HTTP_IDEMPOTENCY_KEY"])).update(
        created=timezone.now() - datetime.timedelta(days=2)
    )

    call_command("tahoe_purge_idempotency_records")

    assert list(IdempotencyRecord.objects.values_list("key_digest", flat=True)) == [idempotency_key_digest("fresh")]


def test_keys_are_compared_exactly_case_included(caller, learner):
    first = caller.post(learner, HTTP_IDEMPOTENCY_KEY="order-1234", version="v2")
    other = caller.post({**learner, "username": "other", "email": "other@example.com"},
                        HTTP_IDEMPOTENCY_KEY="ORDER-1234", version="v2")

    assert first.status_code == other.status_code == 200
    assert first.json()["user_id"] != other.json()["user_id"]


def test_nothing_stored_lets_a_database_reader_test_a_password_guess(caller, learner):
    body = {**learner, "password": "sunshine-2026"}
    caller.post(body, **KEY)
    stored = IdempotencyRecord.objects.values_list("fingerprint", flat=True).get()

    # What a reader of the database can compute, knowing every field but the password (the user
    # row holds them), for each guess of a word list: none is what is stored.
    for guess in ("password", "sunshine", "sunshine-2026", "letmein-2026"):
        for canonical in (json.dumps({**body, "password": guess}, sort_keys=True),
                          json.dumps({**body, "password": guess}, sort_keys=True, default=str)):
            assert stored != hashlib.sha256(canonical.encode()).hexdigest()
    assert "sunshine" not in repr(IdempotencyRecord.objects.values().get())


def test_a_retry_is_still_answered_while_the_secret_key_is_rotated(caller, learner, settings):
    first = caller.post(learner, **KEY)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-projects-new-secret-key"

    again = caller.post(learner, **KEY)
    other_body = caller.post({**learner, "name": "Someone Else"}, **KEY)

    assert again.json() == first.json()
    assert other_body.status_code == 422
