"""``api.register_user`` under failure: all or nothing, and emails only after commit."""
import logging
import smtplib
from contextlib import ExitStack, contextmanager
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.locmem import EmailBackend
from django.db import DatabaseError, transaction
from waffle.models import Switch

from tahoe_registration_plugin import api, toggles
from tahoe_registration_plugin.backends import get_platform_backend
from tahoe_registration_plugin.data import NewAccount
from tahoe_registration_plugin.models import ApiKey, RegistrationRecord
from tahoe_registration_plugin.standalone.models import Profile
from tests.factories import UserFactory

User = get_user_model()


def test_a_failure_midway_leaves_no_user_and_answers_a_json_503(caller, learner, caplog):
    with mock.patch.object(Profile, "save", side_effect=DatabaseError("disk full")):
        response = caller.post(learner)

    assert response.status_code == 503
    assert response.json() == {
        "user_message": "The registration could not be completed and nothing was created. Try again later."
    }
    assert not User.objects.exists()
    assert not RegistrationRecord.objects.exists()
    assert not mail.outbox
    assert "nothing was created" in caplog.text


def test_a_failing_audit_record_also_undoes_the_user(caller, learner):
    with mock.patch.object(RegistrationRecord.objects, "record", side_effect=DatabaseError("lock wait timeout")):
        response = caller.post({**learner, "password": "correct-horse-battery"})

    assert response.status_code == 503
    assert not User.objects.exists()
    assert not Profile.objects.exists()
    assert not mail.outbox


def test_a_failing_email_keeps_the_committed_account_and_warns_where_the_failure_is_seen(
    caller, learner, caplog, platform
):
    with mock.patch.object(EmailBackend, "send_messages", side_effect=smtplib.SMTPException("relay refused")):
        with caplog.at_level(logging.ERROR):
            response = caller.post(learner)

    assert response.status_code == 200
    user = User.objects.get()
    body = {"user_id": user.pk, "user_id ": user.pk}
    if platform == "standalone":
        # The standalone backend sends the email itself: it knows, and says so.
        assert response.json() == {**body, "warnings": [
            "The account was created, but its set-password email could not be sent. "
            "The learner can ask for a password reset from the site's login page."
        ]}
        assert f"Could not send the set-password email of user {user.pk}" in caplog.text
    else:
        # The platform sends it through ACE, which logs an SMTP error and reports it to no caller.
        assert response.json() == body
        assert "An SMTP error occurred (and logged)" in caplog.text
    assert RegistrationRecord.objects.filter(user=user).exists()
    assert user.profile.name == "Alex Userton"
    assert "alex.userton@example.com" not in caplog.text


@pytest.mark.parametrize("existing, taken", [
    ({"username": "auserton", "email": "first@example.com"}, "username"),
    ({"username": "someone", "email": "Alex.Userton@example.com"}, "email"),
])
def test_a_registration_racing_past_the_check_is_a_409_not_a_500(caller, learner, existing, taken):
    backend_class = type(get_platform_backend())
    real_find_conflicts = backend_class.find_conflicts
    looks = []

    def lose_the_race_right_after_the_first_look(backend, account):
        conflicts = real_find_conflicts(backend, account)
        if not looks:
            UserFactory(**existing)  # another registration commits between our checks and our insert
        looks.append(account)
        return conflicts

    with mock.patch.object(backend_class, "find_conflicts", lose_the_race_right_after_the_first_look):
        response = caller.post(learner)

    assert response.status_code == 409
    assert response.json()["invalid-params"] == [taken]
    assert User.objects.count() == 1
    assert not Profile.objects.exists()
    assert not mail.outbox


def test_emails_wait_for_the_callers_transaction(caller, learner):
    # Called inside someone else's transaction, the operation sends its email when that one commits.
    api_key = ApiKey.objects.get_by_secret(caller.secret)
    with transaction.atomic():
        result = api.register_user(NewAccount(**learner), site=api_key.site, api_key=api_key, api_version="v2")
        assert not mail.outbox
    assert not result.warnings
    assert len(mail.outbox) == 1


@contextmanager
def unavailable_cache():
    """Every cache call fails, as when the memcached or Redis server is down."""
    def unavailable(*args, **kwargs):
        raise ConnectionRefusedError("cache server down")

    with ExitStack() as stack:
        for method in ("get", "get_many", "set", "set_many", "add", "incr", "delete"):
            stack.enter_context(mock.patch.object(cache, method, unavailable))
        yield


@pytest.mark.parametrize("switch_on", [False, True])
def test_an_unavailable_cache_does_not_stop_registrations_nor_the_switches(caller, learner, caplog, switch_on):
    Switch.objects.update_or_create(name=toggles.API_DISABLED, defaults={"active": switch_on})

    with unavailable_cache():
        response = caller.post(learner)

    assert response.status_code == (503 if switch_on else 200)
    assert User.objects.count() == (0 if switch_on else 1)
    if not switch_on:
        assert "Rate limit not applied: the cache is unavailable." in caplog.text
