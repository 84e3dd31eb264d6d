"""``api.register_user``: all or nothing, a conflict whatever the race, and emails only after commit."""
import logging
import smtplib
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import DatabaseError, OperationalError, transaction

from tahoe_registration_plugin import api
from tahoe_registration_plugin.backends import base, get_platform_backend
from tahoe_registration_plugin.data import IdempotencyKey, NewAccount
from tahoe_registration_plugin.errors import AccountConflict, IdempotencyKeyReused, InvalidAccount
from tahoe_registration_plugin.models import ApiKey, RegistrationRecord
from tahoe_registration_plugin.standalone.models import Profile
from tests.factories import ApiKeyFactory, UserFactory

# Each test runs on both backends (the ``caller`` fixture does too).
pytestmark = pytest.mark.usefixtures("platform")
User = get_user_model()


@pytest.mark.django_db(transaction=True)
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


@pytest.mark.django_db(transaction=True)
def test_a_failing_audit_record_also_undoes_the_user(caller, learner):
    with mock.patch.object(RegistrationRecord.objects, "record", side_effect=DatabaseError("lock wait timeout")):
        response = caller.post({**learner, "password": "correct-horse-battery"})

    assert response.status_code == 503
    assert not User.objects.exists()
    assert not Profile.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db(transaction=True)
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("existing, taken", [
    ({"username": "auserton", "email": "first@example.com"}, "username"),
    ({"username": "someone", "email": "Alex.Userton@example.com"}, "email"),
])
def test_a_registration_racing_past_the_check_is_a_409_not_a_500(caller, learner, existing, taken):
    backend_class = type(get_platform_backend())
    real_prepare = backend_class.prepare

    def lose_the_race_right_after_preparing(backend, site, account):
        prepared = real_prepare(backend, site, account)
        UserFactory(**existing)  # another registration commits between our checks and our insert
        return prepared

    with mock.patch.object(backend_class, "prepare", lose_the_race_right_after_preparing):
        response = caller.post(learner)

    assert response.status_code == 409
    assert response.json()["invalid-params"] == [taken]
    assert User.objects.count() == 1
    assert not Profile.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db(transaction=True)
def test_emails_wait_for_the_callers_transaction(caller, learner):
    # Called inside someone else's transaction, the operation sends its email when that one commits.
    api_key = ApiKey.objects.get_by_secret(caller.secret)
    with transaction.atomic():
        result = api.register_user(NewAccount(**learner), site=api_key.site, api_key=api_key, api_version="v2")
        assert not mail.outbox
    assert not result.warnings
    assert len(mail.outbox) == 1


def register(api_key, learner, **kwargs):
    """``register_user`` called as a view calls it, for ``api_key``'s site."""
    return api.register_user(NewAccount(**learner), site=api_key.site, api_key=api_key, api_version="v2", **kwargs)


@pytest.mark.django_db(transaction=True)
def test_a_registration_writes_the_user_and_its_record_and_sends_its_email(api_key, learner):
    result = register(api_key, learner)

    user = User.objects.get()
    assert (result.user_id, result.enrollments, result.warnings) == (user.pk, (), ())
    record = RegistrationRecord.objects.get()
    assert (record.user_id, record.site_id, record.api_key_id, record.api_version) == (
        user.pk, api_key.site_id, api_key.pk, "v2"
    )
    assert [message.to for message in mail.outbox] == [[learner["email"]]]


@pytest.mark.django_db(transaction=True)
def test_a_retry_with_the_same_idempotency_key_returns_the_first_registration(api_key, learner):
    first = register(api_key, learner, idempotency_key=IdempotencyKey("order-17", "body-a"))
    again = register(api_key, learner, idempotency_key=IdempotencyKey("order-17", "body-a"))

    assert again.user_id == first.user_id
    assert User.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_same_idempotency_key_with_another_body_is_refused(api_key, learner):
    register(api_key, learner, idempotency_key=IdempotencyKey("order-17", "body-a"))

    with pytest.raises(IdempotencyKeyReused):
        register(api_key, {**learner, "name": "Someone Else"}, idempotency_key=IdempotencyKey("order-17", "body-b"))
    assert User.objects.count() == 1


def test_an_idempotency_key_is_the_callers_own(api_key, learner):
    register(api_key, learner, idempotency_key=IdempotencyKey("order-17", "body-a"))
    other_key = ApiKeyFactory(site=api_key.site)

    with pytest.raises(AccountConflict):
        register(other_key, learner, idempotency_key=IdempotencyKey("order-17", "body-a"))


def test_a_taken_username_or_email_is_a_conflict_whatever_the_case(api_key, learner):
    UserFactory(username=learner["username"].upper(), email="someone@example.com")

    with pytest.raises(AccountConflict) as conflict:
        register(api_key, {**learner, "email": learner["email"].upper()})
    assert conflict.value.fields == ["username"]

    with pytest.raises(AccountConflict) as conflict:
        register(api_key, {**learner, "username": "someone", "email": "SOMEONE@example.com"})
    assert conflict.value.fields == ["email"]
    assert User.objects.count() == 1


def test_a_conflict_comes_before_any_field_error(api_key, learner):
    UserFactory(username=learner["username"], email="someone@example.com")

    with pytest.raises(AccountConflict):
        register(api_key, {**learner, "password": "x"})  # a password the policy refuses


def test_a_refused_field_is_an_invalid_account_and_creates_nothing(api_key, learner):
    with pytest.raises(InvalidAccount) as invalid:
        register(api_key, {**learner, "password": learner["username"]})

    assert list(invalid.value.field_errors) == ["password"]
    assert not User.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db(transaction=True)
def test_a_transaction_that_lost_a_lock_is_tried_again(api_key, learner):
    record = RegistrationRecord.objects.record
    attempts = []

    def lose_the_first_lock(**kwargs):
        attempts.append(kwargs["user"].pk)
        if len(attempts) == 1:
            raise OperationalError("database is locked")
        return record(**kwargs)

    with mock.patch.object(RegistrationRecord.objects, "record", side_effect=lose_the_first_lock):
        result = register(api_key, learner)

    assert len(attempts) == 2
    assert User.objects.get().pk == result.user_id
    assert RegistrationRecord.objects.count() == 1


def test_inside_the_callers_transaction_a_lost_lock_is_the_callers_to_retry(api_key, learner):
    with mock.patch.object(RegistrationRecord.objects, "record", side_effect=OperationalError("deadlock")):
        with pytest.raises(OperationalError), transaction.atomic():
            register(api_key, learner)
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_email_that_cannot_be_handed_over_is_returned_as_a_warning(api_key, learner, platform):
    with mock.patch.object(EmailBackend, "send_messages", side_effect=smtplib.SMTPServerDisconnected("gone")):
        result = register(api_key, learner)

    assert User.objects.filter(pk=result.user_id).exists()
    if platform == "standalone":  # the platform's ACE swallows it before the plugin sees it
        assert result.warnings == (base.EMAIL_NOT_SENT_WARNING.format(email="set-password"),)
