"""What each request leaves for operators: monitoring attributes and one log line, without personal data."""
import logging
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from tests.conftest import Caller

User = get_user_model()


@pytest.fixture
def attributes():
    recorded = {}
    with mock.patch(
        "tahoe_registration_plugin.rest_api.monitoring.set_custom_attribute",
        side_effect=recorded.__setitem__,
    ):
        yield recorded


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_each_request_sets_monitoring_attributes(caller, api_key, learner, attributes, version):
    caller.post(learner, version=version)

    assert attributes == {
        "tahoe_registration.api_version": version,
        "tahoe_registration.endpoint": "registrations",
        "tahoe_registration.site": "lms.example.com",
        "tahoe_registration.key_prefix": api_key.prefix,
        "tahoe_registration.outcome": "created",
        "tahoe_registration.status": 200,
    }


def test_every_request_the_rate_limit_cannot_count_is_logged_and_reported(caller, learner, attributes, caplog):
    def unavailable(*args, **kwargs):
        raise ConnectionRefusedError("cache server down")

    with mock.patch.object(cache, "add", unavailable), mock.patch.object(cache, "incr", unavailable):
        first = caller.post(learner)
        second = caller.post({**learner, "username": "other", "email": "other@example.com"})

    assert first.status_code == second.status_code == 200
    assert attributes["tahoe_registration.rate_limit"] == "unavailable"
    assert caplog.text.count("Rate limit not applied: the cache is unavailable.") == 2


@pytest.mark.usefixtures("site")
def test_a_refused_request_is_recorded_without_a_key(client, learner, attributes):
    Caller(client, "wrong").post(learner)

    assert attributes["tahoe_registration.outcome"] == "unauthenticated"
    assert attributes["tahoe_registration.key_prefix"] == ""
    assert attributes["tahoe_registration.api_version"] == "v1"


def test_one_log_line_per_request_without_personal_data_or_secrets(caller, api_key, learner, caplog):
    with caplog.at_level(logging.INFO, logger="tahoe_registration_plugin"):
        caller.post({**learner, "password": "correct-horse-battery"})
        caller.post({**learner, "password": "correct-horse-battery"})

    messages = [record.getMessage() for record in caplog.records]
    lines = [message for message in messages if message.startswith("tahoe_registration_request")]
    user_id = User.objects.get().pk
    assert lines == [
        "tahoe_registration_request api_version=v1 endpoint=registrations site=lms.example.com "
        f"key_prefix={api_key.prefix} outcome=created status=200 user_id={user_id}",
        "tahoe_registration_request api_version=v1 endpoint=registrations site=lms.example.com "
        f"key_prefix={api_key.prefix} outcome=conflict status=409 user_id=",
    ]
    for forbidden in ("alex.userton@example.com", "correct-horse-battery", api_key.secret):
        assert forbidden not in caplog.text
