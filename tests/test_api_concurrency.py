"""
The operation under real concurrency: simultaneous requests to a live server (one thread and
one database connection each) create exactly one account. Runs on SQLite and, with
``TEST_DB=mysql``, on MariaDB.
"""
from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from tahoe_registration_plugin.models import IdempotencyRecord, RegistrationRecord
from tests.conftest import LMS_HOST
from tests.live import live_server, post_at_once

User = get_user_model()
PATH = "/tahoe/api/v2/registrations/"
ATTEMPTS = 50
# The live server's threads, each with its own connection, read the key and write what they are sent.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fire(api_key, settings):
    settings.TAHOE_REGISTRATION_RATE = "1000/minute"
    with live_server() as url:

        def fire_bodies(bodies, **extra_headers):
            return post_at_once(url, PATH, bodies, LMS_HOST, api_key.secret, extra_headers)

        yield fire_bodies


def assert_one_created(results):
    statuses = Counter(status for status, _body in results)
    assert statuses == {200: 1, 409: len(results) - 1}, statuses
    assert User.objects.count() == 1
    assert RegistrationRecord.objects.count() == 1


def test_identical_registrations_at_once_create_one_account(fire, learner):
    results = fire([learner] * ATTEMPTS)

    assert_one_created(results)
    assert {body["user_message"] for status, body in results if status == 409} == {
        "Both email and username already exist"
    }


def test_one_username_with_different_emails_at_once_creates_one_account(fire):
    results = fire([
        {"username": "auserton", "email": f"alex{n}@example.com", "name": "Alex"} for n in range(ATTEMPTS)
    ])

    assert_one_created(results)
    assert {tuple(body["invalid-params"]) for status, body in results if status == 409} == {("username",)}


def test_one_email_in_different_cases_with_different_usernames_at_once_creates_one_account(fire):
    cases = ["alex.userton@example.com", "Alex.Userton@Example.com", "ALEX.USERTON@EXAMPLE.COM"]
    results = fire([
        {"username": f"user{n}", "email": cases[n % len(cases)], "name": "Alex"} for n in range(ATTEMPTS)
    ])

    assert_one_created(results)
    assert {tuple(body["invalid-params"]) for status, body in results if status == 409} == {("email",)}


def test_simultaneous_retries_with_one_idempotency_key_create_one_account(fire, learner):
    results = fire([learner] * 10, **{"Idempotency-Key": "order-1234"})

    assert [status for status, _body in results] == [200] * 10
    assert len({body["user_id"] for _status, body in results}) == 1
    assert User.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_one_idempotency_key_with_different_bodies_at_once_gives_one_200_and_422s(fire):
    results = fire([
        {"username": f"user{n}", "email": f"user{n}@example.com", "name": "Alex"} for n in range(30)
    ], **{"Idempotency-Key": "order-1234"})

    statuses = Counter(status for status, _body in results)
    assert statuses == {200: 1, 422: 29}, statuses
    assert User.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1
