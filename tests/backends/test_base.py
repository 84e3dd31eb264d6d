"""
What a learner and an operator notice of the platform's rules, on both backends: a passwordless
learner can always recover the account, the password policy applies only to a caller's password,
the site's registration extension form is honoured, activation is seen only once committed, and
an email server that hangs does not hold the answer; and the interface's own decisions (``PlatformBackend``
after commit, the default mode, the extension form's values, ``taken_fields``).
"""
import json
import socket
import threading
import time
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import DatabaseError, connection
from django.db.models.signals import post_save

from tahoe_registration_plugin.backends import base
from tahoe_registration_plugin.data import CreatedAccount, NewAccount, PreparedAccount
from tahoe_registration_plugin.models import RegistrationRecord
from tahoe_registration_plugin.standalone.signals import USER_ACCOUNT_ACTIVATED
from tests.extension_form.forms import LearnerExtraInfoForm
from tests.extension_form.models import LearnerExtraInfo
from tests.factories import SiteConfigurationFactory

User = get_user_model()
PASSWORD = "correct-horse-battery"
EXTENSION_FORM = "tests.extension_form.forms.LearnerExtraInfoForm"


def test_a_passwordless_learner_can_use_forgot_password_but_no_one_knows_the_password(caller, learner):
    caller.post(learner)
    mail.outbox.clear()

    response = caller.client.post("/password/reset/", {"email": "Alex.Userton@example.com"},
                                  HTTP_HOST="lms.example.com")

    assert response.status_code == 200
    assert [message.to for message in mail.outbox] == [["alex.userton@example.com"]]
    user = User.objects.get()
    assert user.has_usable_password()
    assert not any(user.check_password(guess) for guess in ("", "auserton", "alex.userton@example.com", "None"))


def test_the_password_policy_never_refuses_a_caller_who_sent_no_password(caller, learner, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 40}},
    ]

    passwordless = caller.post(learner, version="v2")
    short = caller.post({**learner, "username": "other", "email": "other@example.com", "password": PASSWORD},
                        version="v2")

    assert passwordless.status_code == 200, passwordless.content
    assert short.status_code == 400
    assert list(short.json()["field_errors"]) == ["password"]
    assert list(User.objects.values_list("username", flat=True)) == ["auserton"]


# --- the site's registration extension form -----------------------------------------------------


@pytest.fixture
def extension_form(settings):
    settings.REGISTRATION_EXTENSION_FORM = EXTENSION_FORM


@pytest.mark.usefixtures("extension_form")
@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.parametrize("fmt", ["json", "form"])
def test_the_extension_forms_fields_come_from_the_top_level_and_are_saved(caller, learner, version, fmt):
    response = caller.post(
        {**learner, "company": "Acme", "employee_id": "E-42", "is_staff": "true", "is_superuser": "true"},
        version=version, fmt=fmt,
    )

    assert response.status_code == 200, response.content
    user = User.objects.get()
    extra = LearnerExtraInfo.objects.get(user=user)
    assert (extra.company, extra.employee_id) == ("Acme", "E-42")
    assert (user.is_staff, user.is_superuser) == (False, False)


@pytest.mark.usefixtures("extension_form")
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_a_missing_required_extension_field_is_a_400_naming_it(caller, learner, version):
    response = caller.post(learner, version=version)

    assert response.status_code == 400
    assert response.json()["field_errors"] == {"company": ["This field is required."]}
    assert not User.objects.exists()
    assert not LearnerExtraInfo.objects.exists()


@pytest.mark.usefixtures("extension_form")
def test_the_extension_form_is_saved_on_a_site_with_public_account_creation_off(caller, site, learner, settings):
    settings.ALLOW_PUBLIC_ACCOUNT_CREATION = False
    SiteConfigurationFactory(site=site, site_values={"ALLOW_PUBLIC_ACCOUNT_CREATION": False})

    response = caller.post({**learner, "company": "Acme"})

    assert response.status_code == 200
    assert LearnerExtraInfo.objects.get().user == User.objects.get()


# --- activation seen only once committed ---------------------------------------------------------


@pytest.fixture
def activations():
    """Each activation signal and each save of an active user, with whether a transaction was still open."""
    seen = []

    def on_activated(sender, user, **kwargs):  # pylint: disable=unused-argument
        seen.append(("USER_ACCOUNT_ACTIVATED", user.username, connection.in_atomic_block))

    def on_user_saved(sender, instance, **kwargs):  # pylint: disable=unused-argument
        if instance.is_active:
            seen.append(("post_save active", instance.username, connection.in_atomic_block))

    USER_ACCOUNT_ACTIVATED.connect(on_activated, weak=False)
    post_save.connect(on_user_saved, sender=User, weak=False)
    yield seen
    USER_ACCOUNT_ACTIVATED.disconnect(on_activated)
    post_save.disconnect(on_user_saved, sender=User)


@pytest.mark.django_db(transaction=True)
def test_activation_receivers_run_on_committed_rows(caller, learner, activations):
    response = caller.post({**learner, "password": PASSWORD, "send_activation_email": False})

    assert response.status_code == 200
    assert activations == [("post_save active", "auserton", False), ("USER_ACCOUNT_ACTIVATED", "auserton", False)]


@pytest.mark.django_db(transaction=True)
def test_an_account_that_rolls_back_is_never_announced_as_activated(caller, learner, activations):
    with mock.patch.object(RegistrationRecord.objects, "record", side_effect=DatabaseError("lock wait timeout")):
        response = caller.post({**learner, "password": PASSWORD, "send_activation_email": False})

    assert response.status_code == 503
    assert activations == []
    assert not User.objects.exists()


# --- email servers that fail or hang ----------------------------------------------------------


class SlowMailServer:
    """
    An SMTP server that takes ``delay`` seconds before each reply (None: it never replies), in a
    thread per connection; it accepts every message.
    """

    def __init__(self, delay):
        self.delay, self.closed = delay, threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed.is_set():
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._converse, args=(connection,), daemon=True).start()

    def _reply(self, connection, line):
        if self.delay is None or self.closed.wait(self.delay):
            self.closed.wait()
            return False
        connection.sendall(line)
        return True

    def _converse(self, connection):
        with connection, connection.makefile("rb") as lines:
            if not self._reply(connection, b"220 slow.example ESMTP\r\n"):
                return
            for line in lines:
                command = line.strip().upper()
                if command == b"DATA":
                    self._reply(connection, b"354 go on\r\n")
                    for data in lines:
                        if data.strip() == b".":
                            break
                if not self._reply(connection, b"221 bye\r\n" if command == b"QUIT" else b"250 ok\r\n"):
                    return

    def close(self):
        self.closed.set()
        self.listener.close()


@pytest.fixture
def mail_server(settings):
    """Start a ``SlowMailServer`` with a delay, as the project's mail server; closed at the end."""
    servers = []

    def start(delay):
        servers.append(SlowMailServer(delay))
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = servers[-1].listener.getsockname()
    yield start
    for server in servers:
        server.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("delay", [None, 1.5], ids=["never answers", "answers each command late"])
@pytest.mark.parametrize("password", [None, PASSWORD])
def test_a_mail_server_holds_no_answer_longer_than_the_wait(caller, learner, settings, mail_server, delay, password):
    # No time limit of the project's own: Django then waits forever for a server that never answers.
    settings.EMAIL_TIMEOUT = None
    settings.TAHOE_REGISTRATION_EMAIL_WAIT_SECONDS = 1
    mail_server(delay)

    started = time.monotonic()
    response = caller.post(learner if password is None else {**learner, "password": password})
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert elapsed < 1 + 2
    email = "set-password" if password is None else "activation"
    assert response.json()["warnings"] == [base.EMAIL_PENDING_WARNING.format(email=email)]
    assert User.objects.get().profile.name == "Alex Userton"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("password", [None, PASSWORD])
def test_email_links_name_the_site_not_the_requests_host_header(caller, site, learner, password):
    # The request reaches the site through another spelling of its host; the links name the site.
    SiteConfigurationFactory(site=site, site_values={
        "SITE_NAME": site.domain, "LMS_ROOT_URL": f"https://{site.domain}",
    })
    caller.host = "LMS.example.com:8443"

    response = caller.post(learner if password is None else {**learner, "password": password})

    assert response.status_code == 200
    [message] = mail.outbox
    assert "://lms.example.com/" in message.body
    assert "8443" not in message.body and "LMS.example.com" not in message.body


# --- the site's extended profile fields ------------------------------------------------------------


@pytest.mark.parametrize("coppa", [False, True])
def test_the_sites_extended_profile_fields_are_kept_in_the_profile(caller, site, learner, settings, coppa):
    settings.ENABLE_COPPA_COMPLIANCE = coppa
    SiteConfigurationFactory(site=site, site_values={"extended_profile_fields": ["department", "year_of_birth"]})

    response = caller.post({**learner, "department": "Sales", "year_of_birth": "1990", "shoe_size": "44"})

    assert response.status_code == 200
    meta = json.loads(User.objects.get().profile.meta)
    # The platform's form reads the year as a number; blanked (COPPA), it is none, and left out.
    assert meta == ({"department": "Sales"} if coppa else {"department": "Sales", "year_of_birth": 1990})


def test_without_extended_profile_fields_the_profile_has_no_meta(caller, learner):
    caller.post({**learner, "department": "Sales"})

    assert User.objects.get().profile.meta == ""


# --- PlatformBackend's own decisions, on a backend that only records ------------------------------


class RecordingBackend(base.PlatformBackend):  # pylint: disable=abstract-method
    """A backend whose platform steps only record that they ran (or fail, when told to)."""

    def __init__(self, failing=()):
        self.steps, self.failing = [], set(failing)

    def step(self, name):
        self.steps.append(name)
        if name in self.failing:
            raise RuntimeError(f"{name} failed")

    def announce_registration(self, site, created):
        self.step("announce")

    def send_activation_email(self, site, created):
        self.step(base.ACTIVATION_EMAIL)

    def send_set_password_email(self, site, created):
        self.step(base.SET_PASSWORD_EMAIL)


def after_commit(backend, **account):
    """``backend.after_commit`` for a new account described by ``account``; its warnings and the steps that ran."""
    registration = mock.Mock(activate=mock.Mock(side_effect=lambda: backend.step("activate")))
    prepared = PreparedAccount(account=NewAccount(username="auserton", email="a@example.com", name="A", **account))
    created = CreatedAccount(user=mock.Mock(pk=7), profile=None, registration=registration)
    warnings = backend.after_commit(None, prepared, created)
    return warnings, backend.steps


@pytest.mark.parametrize("account, skips, steps", [
    ({"password": PASSWORD}, False, ["announce", base.ACTIVATION_EMAIL]),
    ({"password": PASSWORD, "send_activation_email": False}, False, ["activate", "announce"]),
    ({"password": PASSWORD}, True, ["activate", "announce"]),
    ({}, False, ["announce", base.SET_PASSWORD_EMAIL]),
    ({"send_activation_email": False}, False, ["announce", base.SET_PASSWORD_EMAIL]),
    ({}, True, ["activate", "announce", base.SET_PASSWORD_EMAIL]),
])
def test_after_commit_activates_and_chooses_the_email_as_documented(settings, account, skips, steps):
    settings.SKIP_EMAIL_VALIDATION = skips

    assert after_commit(RecordingBackend(), **account) == ((), steps)


@pytest.mark.parametrize("failing, warnings", [
    ({"activate"}, [str(base.NOT_ACTIVATED_WARNING)]),
    ({"announce"}, []),
    ({base.SET_PASSWORD_EMAIL}, [base.EMAIL_NOT_SENT_WARNING.format(email=base.SET_PASSWORD_EMAIL)]),
])
def test_each_after_commit_step_that_fails_is_logged_and_the_next_ones_still_run(settings, caplog, failing, warnings):
    settings.SKIP_EMAIL_VALIDATION = True

    returned, steps = after_commit(RecordingBackend(failing=failing))

    assert list(returned) == warnings
    assert steps == ["activate", "announce", base.SET_PASSWORD_EMAIL]
    assert "failed" in caplog.text and "user 7" in caplog.text


@pytest.mark.parametrize("flag", ["SKIP_EMAIL_VALIDATION", "AUTOMATIC_AUTH_FOR_TESTING"])
def test_either_platform_flag_skips_email_validation(settings, flag):
    settings.SKIP_EMAIL_VALIDATION = settings.AUTOMATIC_AUTH_FOR_TESTING = False
    assert not RecordingBackend().skips_email_validation(user=None)

    setattr(settings, flag, True)

    assert RecordingBackend().skips_email_validation(user=None)


@pytest.mark.parametrize("modes, default", [
    (("verified", "audit", "honor"), "audit"),
    (("honor", "verified"), "honor"),
    (("verified", "professional"), "verified"),
])
def test_the_default_mode_is_audit_then_honor_then_the_courses_first(modes, default):
    assert RecordingBackend().default_mode(modes) == default


def test_only_the_extension_forms_own_fields_reach_it():
    account = NewAccount(username="a", email="a@example.com", name="A",
                         extra_fields={"company": "Acme", "is_staff": "true"})

    assert base.extension_form_values(None, account) == {}
    assert base.extension_form_values(LearnerExtraInfoForm(), account) == {"company": "Acme"}


@pytest.mark.django_db
def test_taken_fields_names_each_field_some_row_holds_whatever_the_case():
    User.objects.create_user("auserton", "alex.userton@example.com")
    User.objects.create_user("someone", "someone@example.com")

    def taken(username, email):
        return base.taken_fields(User.objects.all(), username=username, email=email)

    assert taken("AUSERTON", "SOMEONE@example.com") == ["email", "username"]
    assert taken("Someone", "nobody@example.com") == ["username"]
    assert taken("nobody", "Alex.Userton@Example.com") == ["email"]
    assert taken("nobody", "nobody@example.com") == []
