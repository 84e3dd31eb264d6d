"""
The Open edX backend over stand-ins of the platform's modules: the platform's pipeline runs, in
its order, with its hooks; what differs between releases is resolved in one place.
"""
# pylint: disable=no-member
import importlib

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core import mail
from openedx_events.learning.signals import STUDENT_REGISTRATION_COMPLETED

from tests import openedx_stand_ins as platform_modules

User = get_user_model()
PASSWORD = "correct-horse-battery"


@pytest.fixture
def platform(settings):
    """These tests are about the Open edX backend alone."""
    settings.TAHOE_REGISTRATION_PLATFORM_BACKEND = "tahoe_registration_plugin.backends.openedx.OpenedxBackend"
    with platform_modules.installed():
        yield "openedx"


@pytest.fixture
def received():
    """What the platform's signal and openedx-events event deliver to their receivers."""
    deliveries = []

    def on_register_user(sender, user, registration, **kwargs):  # pylint: disable=unused-argument
        deliveries.append(("REGISTER_USER", user.pk, registration.user_id))

    def on_registration_completed(user, metadata, **kwargs):
        deliveries.append(("STUDENT_REGISTRATION_COMPLETED", user.id, user.pii.username, user.pii.name, user.is_active,
                           metadata.event_type))

    platform_modules.REGISTER_USER.connect(on_register_user, weak=False)
    STUDENT_REGISTRATION_COMPLETED.connect(on_registration_completed, weak=False)
    yield deliveries
    platform_modules.REGISTER_USER.disconnect(on_register_user)
    STUDENT_REGISTRATION_COMPLETED.disconnect(on_registration_completed)


def test_a_registration_runs_the_platforms_pipeline(caller, site, learner, received):
    response = caller.post({**learner, "password": PASSWORD})

    assert response.status_code == 200
    user = User.objects.get()
    assert received == [
        ("REGISTER_USER", user.pk, user.pk),
        ("STUDENT_REGISTRATION_COMPLETED", user.pk, "auserton", "Alex Userton", False,
         "org.openedx.learning.student.registration.completed.v1"),
    ]
    assert platform_modules.calls == [
        ("AccountCreationForm", None, False, False),  # validation
        ("AccountCreationForm", None, False, False),  # creation
        ("created_on_site", user.pk, site.domain),
        ("create_comments_service_user", user.pk),
    ]
    assert [message.subject for message in mail.outbox] == ["Action Required: Activate your Open edX account"]
    assert user.registration.activation_key in mail.outbox[0].body


def test_without_activation_email_the_registration_is_activated(caller, learner, received):
    caller.post({**learner, "password": PASSWORD, "send_activation_email": False})

    user = User.objects.get()
    assert user.is_active
    assert not mail.outbox
    assert received[1][4] is True  # the event reports the account active


def test_without_password_the_platforms_reset_email_goes_out(caller, learner):
    caller.post(learner)

    user = User.objects.get()
    assert not user.has_usable_password()
    assert not user.is_active
    assert [message.subject for message in mail.outbox] == ["Password reset on lms.example.com"]


def test_a_retired_username_is_a_conflict(caller, learner):
    platform_modules.retired_usernames.add("auserton")

    response = caller.post(learner, version="v2")

    assert response.status_code == 409
    assert response.json() == {"user_message": "Username already exists", "invalid-params": ["username"]}
    assert not User.objects.exists()


def test_the_platforms_validation_messages_are_a_400(caller, learner):
    response = caller.post({**learner, "username": "bad name!"})

    assert response.status_code == 400
    assert response.json()["field_errors"] == {"username": [platform_modules.USERNAME_INVALID_CHARS_ASCII]}


def test_a_platform_validation_error_from_a_race_on_the_email_is_a_409(caller, learner, monkeypatch):
    # The email is taken after our check: the platform's form refuses it, which is a conflict.
    taken = []
    real_exists = platform_modules.email_exists_or_retired

    def exists_from_the_second_look_on(email):
        taken.append(email)
        return len(taken) > 2 or real_exists(email)

    monkeypatch.setattr(platform_modules, "email_exists_or_retired", exists_from_the_second_look_on)
    monkeypatch.setitem(vars(platform_modules.STAND_IN_MODULES["common.djangoapps.student.models"]),
                        "email_exists_or_retired", exists_from_the_second_look_on)

    response = caller.post(learner)

    assert response.status_code == 409
    assert response.json()["invalid-params"] == ["email"]
    assert not User.objects.exists()


@pytest.mark.parametrize("where", ["site_configuration", "settings", "features"])
def test_accounts_are_created_when_public_account_creation_is_off(caller, learner, settings, where, received):
    if where == "site_configuration":
        platform_modules.site_configuration["ALLOW_PUBLIC_ACCOUNT_CREATION"] = False
    elif where == "settings":
        settings.ALLOW_PUBLIC_ACCOUNT_CREATION = False
    else:
        settings.FEATURES = {"ALLOW_PUBLIC_ACCOUNT_CREATION": False}

    response = caller.post({**learner, "password": PASSWORD})

    assert response.status_code == 200
    user = User.objects.get()
    assert (user.profile.name, user.is_active, user.check_password(PASSWORD)) == ("Alex Userton", False, True)
    assert user.registration.activation_key in mail.outbox[0].body
    assert [delivery[0] for delivery in received] == ["REGISTER_USER", "STUDENT_REGISTRATION_COMPLETED"]


def test_site_configuration_overrides_the_settings(caller, learner):
    platform_modules.site_configuration["TAHOE_REGISTRATION_V1_SUNSET_DATE"] = "2027-06-30"

    response = caller.post(learner)

    assert response["Sunset"] == "Wed, 30 Jun 2027 00:00:00 GMT"


class RequiresCompany(forms.Form):
    company = forms.CharField()


def test_the_newer_profile_extension_form_getter_is_used_when_the_platform_has_it(caller, learner, monkeypatch):
    from tahoe_registration_plugin.backends import openedx  # pylint: disable=import-outside-toplevel

    form_module = platform_modules.STAND_IN_MODULES["openedx.core.djangoapps.user_authn.views.registration_form"]
    monkeypatch.setattr(form_module, "get_profile_extension_form", RequiresCompany, raising=False)
    importlib.reload(openedx)
    try:
        response = caller.post(learner)
    finally:
        monkeypatch.undo()
        importlib.reload(openedx)

    assert response.status_code == 400
    assert response.json()["field_errors"] == {"company": ["This field is required."]}
    assert openedx.get_extension_form is platform_modules.get_registration_extension_form
