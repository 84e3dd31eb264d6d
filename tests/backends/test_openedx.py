"""
The Open edX backend over stand-ins of the platform's modules: the platform's pipeline runs, in
its order, with its hooks, filters and refusals; what differs between releases is resolved in one place.
"""
import smtplib
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from opaque_keys.edx.keys import CourseKey
from openedx_events.learning.signals import COURSE_ENROLLMENT_CREATED, STUDENT_REGISTRATION_COMPLETED
from openedx_filters import PipelineStep
from openedx_filters.learning.filters import CourseEnrollmentStarted, StudentRegistrationRequested

from tahoe_registration_plugin.models import RegistrationRecord
from tahoe_registration_plugin.standalone.models import CourseEnrollment, Profile, Registration
from tests import openedx_stand_ins as platform_modules
from tests.conftest import OPENEDX_BACKEND, Caller
from tests.extension_form.forms import LearnerExtraInfoForm
from tests.factories import ApiKeyFactory, CourseFactory, SiteConfigurationFactory

User = get_user_model()
PASSWORD = "correct-horse-battery"
REGISTRATION_REQUESTED = "org.openedx.learning.student.registration.requested.v1"


@pytest.fixture
def platform(settings):
    """These tests are about the Open edX backend alone."""
    settings.TAHOE_REGISTRATION_PLATFORM_BACKEND = OPENEDX_BACKEND
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


def test_a_registration_runs_the_platforms_pipeline_building_its_form_once(caller, other_site, learner, received):
    # On a site other than SITE_ID, where the platform records the site the account was created on.
    other_caller = Caller(caller.client, ApiKeyFactory(site=other_site).secret, host=other_site.domain)

    response = other_caller.post({**learner, "password": PASSWORD})

    assert response.status_code == 200
    user = User.objects.get()
    assert received == [
        ("REGISTER_USER", user.pk, user.pk),
        ("STUDENT_REGISTRATION_COMPLETED", user.pk, "auserton", "Alex Userton", False,
         "org.openedx.learning.student.registration.completed.v1"),
    ]
    assert platform_modules.calls == [
        ("AccountCreationForm", None, False, False),
        ("created_on_site", user.pk, other_site.domain),
        ("create_comments_service_user", user.pk),
    ]
    # LocaleMiddleware, as in the LMS, activates the supported "en" for LANGUAGE_CODE "en-us".
    assert platform_modules.preferences == {(user.pk, "pref-lang"): "en"}
    assert [message.subject for message in mail.outbox] == ["Action Required: Activate your Open edX account"]
    assert user.registration.activation_key in mail.outbox[0].body


def test_the_after_commit_steps_reuse_the_rows_they_created(caller, learner):
    with CaptureQueriesContext(connection) as queries:
        response = caller.post({**learner, "password": PASSWORD})

    assert response.status_code == 200
    selects = [query["sql"] for query in queries.captured_queries if query["sql"].lstrip().upper().startswith("SELECT")]
    for table in (Registration._meta.db_table, Profile._meta.db_table):
        assert not [sql for sql in selects if f"FROM {connection.ops.quote_name(table)}" in sql]


def test_an_activation_email_the_task_cannot_send_is_logged_not_reported(caller, learner, caplog):
    with mock.patch.object(EmailBackend, "send_messages", side_effect=smtplib.SMTPException("relay refused")):
        response = caller.post({**learner, "password": PASSWORD})

    user = User.objects.get()
    assert response.json() == {"user_id": user.pk, "user_id ": user.pk}
    assert f"Activation email task failed for user {user.pk}." in caplog.text
    assert "alex.userton@example.com" not in caplog.text


def test_without_activation_email_the_account_is_activated_after_commit(caller, learner, received):
    caller.post({**learner, "password": PASSWORD, "send_activation_email": False})

    user = User.objects.get()
    assert user.is_active
    assert user.registration.activation_timestamp is not None
    assert not mail.outbox
    assert received[1][4] is True  # the event reports the account active


def test_without_password_the_platforms_reset_email_goes_out_and_forgot_password_works_later(caller, learner):
    caller.post(learner)

    user = User.objects.get()
    assert not user.is_active
    assert [message.subject for message in mail.outbox] == ["Password reset on Open edX"]
    # Days later the link has expired: the learner asks again from the login page.
    request = RequestFactory().post("/password_reset/", HTTP_HOST="lms.example.com")
    form = platform_modules.PasswordResetFormNoActive({"email": "ALEX.userton@example.com"})
    assert form.is_valid(), form.errors
    form.save(request=request)
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["alex.userton@example.com"]


def test_the_platforms_forgot_password_form_refuses_an_unusable_password(db):  # pylint: disable=unused-argument
    user = User.objects.create_user("someone", "someone@example.com")
    user.set_unusable_password()
    user.save()

    form = platform_modules.PasswordResetFormNoActive({"email": "someone@example.com"})

    assert not form.is_valid()
    assert form.errors["email"] == [platform_modules.PasswordResetFormNoActive.error_messages["unusable"]]


def test_the_breached_password_check_applies_to_a_callers_password_only(caller, learner, settings):
    settings.ENABLE_AUTHN_REGISTER_HIBP_POLICY = True
    platform_modules.pwned_passwords[PASSWORD] = 10

    refused = caller.post({**learner, "password": PASSWORD}, version="v2")
    created = caller.post(learner, version="v2")

    assert refused.status_code == 400
    assert refused.json()["field_errors"] == {"password": [platform_modules.AUTHN_PASSWORD_COMPROMISED_MSG]}
    assert created.status_code == 200


def test_a_retired_username_is_a_conflict(caller, learner):
    platform_modules.retired_usernames.add("auserton")

    response = caller.post(learner, version="v2")

    assert response.status_code == 409
    assert response.json() == {"user_message": "Username already exists", "invalid-params": ["username"]}
    assert not User.objects.exists()


@pytest.mark.parametrize("record", ["retired_emails", "secondary_emails"])
def test_a_retired_or_secondary_email_is_a_conflict(caller, learner, record):
    getattr(platform_modules, record).add("alex.userton@example.com")

    response = caller.post(learner, version="v2")

    assert response.status_code == 409
    assert response.json()["invalid-params"] == ["email"]
    assert not User.objects.exists()


@pytest.mark.parametrize("body, field, message", [
    ({"username": "bad name!"}, "username", platform_modules.USERNAME_INVALID_CHARS_ASCII),
    ({"name": "<b>Alex</b>"}, "name", "Full Name cannot contain the following characters: < >"),
    ({"name": "http://spam.example.com"}, "name", "Enter a valid name"),
])
def test_the_platforms_validation_messages_are_a_400(caller, learner, body, field, message):
    response = caller.post({**learner, **body})

    assert response.status_code == 400
    assert response.json()["field_errors"] == {field: [message]}
    assert not User.objects.exists()


def test_the_email_allow_list_applies_but_an_invited_address_passes(caller, learner, settings):
    settings.REGISTRATION_EMAIL_PATTERNS_ALLOWED = [r".*@partner\.example\.org"]

    refused = caller.post(learner, version="v2")
    platform_modules.invited_emails.add(learner["email"])
    invited = caller.post(learner, version="v2")

    assert refused.status_code == 400
    assert refused.json()["field_errors"] == {"email": ["Unauthorized email address."]}
    assert invited.status_code == 200


@pytest.mark.parametrize("where", ["site_configuration", "settings", "features"])
def test_accounts_are_created_when_public_account_creation_is_off(caller, site, learner, settings, where, received):
    if where == "site_configuration":
        SiteConfigurationFactory(site=site, site_values={"ALLOW_PUBLIC_ACCOUNT_CREATION": False})
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


def test_the_newer_profile_extension_form_getter_is_used_when_the_platform_has_it(caller, learner, monkeypatch):
    form_module = platform_modules.STAND_IN_MODULES["openedx.core.djangoapps.user_authn.views.registration_form"]
    monkeypatch.setattr(form_module, "get_profile_extension_form", LearnerExtraInfoForm, raising=False)

    response = caller.post(learner)

    assert response.status_code == 400
    assert response.json()["field_errors"] == {"company": ["This field is required."]}


# --- the registration filter ------------------------------------------------------------------


class RefuseExampleOrg(PipelineStep):
    """A site's rule: no registrations from example.org, with a 403."""

    def run_filter(self, form_data):  # pylint: disable=arguments-differ
        if form_data.get("email", "").endswith("@example.org"):
            raise StudentRegistrationRequested.PreventRegistration("Use your company address.", status_code=403)
        return {"form_data": form_data}


class LowercaseUsername(PipelineStep):
    """A site's rule that changes the data: usernames are lowercase, and it never sees the password."""

    seen = []

    def run_filter(self, form_data):  # pylint: disable=arguments-differ
        LowercaseUsername.seen.append(sorted(form_data))
        form_data["username"] = form_data["username"].lower()
        return {"form_data": form_data}


@pytest.fixture
def filter_pipeline(settings):
    def configure(*steps):
        settings.OPEN_EDX_FILTERS_CONFIG = {REGISTRATION_REQUESTED: {
            "fail_silently": False, "pipeline": [f"{__name__}.{step.__name__}" for step in steps],
        }}
    return configure


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_a_filter_that_refuses_the_registration_gives_its_message_and_creates_nothing(
    caller, learner, filter_pipeline, version
):
    filter_pipeline(RefuseExampleOrg)

    response = caller.post({**learner, "email": "alex@example.org"}, version=version)

    assert response.status_code == 403
    assert response.json() == {"user_message": "Use your company address."}
    assert not User.objects.exists()
    assert not RegistrationRecord.objects.exists()
    assert not mail.outbox


def test_a_filter_can_change_the_data_but_never_sees_the_password(caller, learner, filter_pipeline):
    filter_pipeline(LowercaseUsername)
    LowercaseUsername.seen.clear()

    response = caller.post({**learner, "username": "AUserton", "password": PASSWORD})

    assert response.status_code == 200
    user = User.objects.get()
    assert (user.username, user.check_password(PASSWORD)) == ("auserton", True)
    assert LowercaseUsername.seen == [["email", "name", "username"]]


# --- the platform's settings an operator expects -----------------------------------------------


@pytest.mark.parametrize("flag", ["SKIP_EMAIL_VALIDATION", "AUTOMATIC_AUTH_FOR_TESTING"])
def test_a_site_that_skips_email_validation_activates_without_an_activation_email(caller, learner, settings, flag):
    setattr(settings, flag, True)

    with_password = caller.post({**learner, "password": PASSWORD})
    without = caller.post({**learner, "username": "other", "email": "other@example.com"})

    assert with_password.status_code == without.status_code == 200
    assert User.objects.get(username="auserton").is_active
    assert User.objects.get(username="other").is_active
    assert [message.subject for message in mail.outbox] == ["Password reset on Open edX"]


def test_a_site_requiring_third_party_sign_in_sends_no_set_password_email(caller, learner, settings):
    settings.ENABLE_REQUIRE_THIRD_PARTY_AUTH = True

    response = caller.post(learner)

    assert response.status_code == 200
    assert [message.subject for message in mail.outbox] == ["Action Required: Activate your Open edX account"]


def test_the_learners_language_is_the_registering_requests(caller, learner, settings):
    settings.LANGUAGE_CODE = "fr"

    caller.post(learner)

    assert platform_modules.preferences == {(User.objects.get().pk, "pref-lang"): "fr"}


def test_the_registration_is_tracked_in_segment_where_the_site_uses_it(caller, learner, settings):
    settings.LMS_SEGMENT_KEY = "segment-key"

    caller.post(learner)

    user_id = User.objects.get().pk
    tracked = [call for call in platform_modules.calls if call[0].startswith("segment.")]
    assert [call[:3] for call in tracked] == [
        ("segment.identify", user_id, {"email": "alex.userton@example.com", "username": "auserton",
                                       "name": "Alex Userton"}),
        ("segment.track", user_id, "edx.bi.user.account.registered"),
    ]


# --- a platform the backend cannot load --------------------------------------------------------


def test_without_the_platform_every_answer_is_json_and_v1_headers_and_the_rate_limit_hold(
    client, api_key, learner, settings
):
    settings.TAHOE_REGISTRATION_PLATFORM_BACKEND = OPENEDX_BACKEND
    settings.TAHOE_REGISTRATION_RATE = "1/minute"
    caller = Caller(client, api_key.secret)

    first = caller.post(learner)
    second = caller.post(learner)

    assert first.status_code == 503
    assert first.json() == {
        "user_message": "Registration is unavailable on this site right now; nothing was created."
    }
    assert first["Deprecation"] == "@1625097600"
    assert second.status_code == 429
    assert not User.objects.exists()


# --- enrollments ------------------------------------------------------------------------------


class RefuseAdvancedCourses(PipelineStep):
    """A site's rule on enrollments: no one goes into an advanced course without a placement test."""

    def run_filter(self, user, course_key, mode):  # pylint: disable=arguments-differ
        if course_key.course == "Advanced":
            raise CourseEnrollmentStarted.PreventEnrollment("Take the placement test first.")
        return {"user": user, "course_key": course_key, "mode": mode}


@pytest.fixture
def two_courses(site):
    SiteConfigurationFactory(site=site, site_values={"course_org_filter": "LMSX"})
    return [CourseFactory(course_id=CourseKey.from_string(f"course-v1:LMSX+{name}+2026"))
            for name in ("Intro", "Advanced")]


def test_enrollments_go_through_the_platforms_enroll_with_its_signals(caller, learner, two_courses):
    created = []

    def on_enrollment_created(enrollment, **kwargs):
        created.append((str(enrollment.course.course_key), enrollment.mode, enrollment.user.pii.username))

    COURSE_ENROLLMENT_CREATED.connect(on_enrollment_created, weak=False)
    try:
        response = caller.post({**learner, "enrollments": [{"course_id": str(course.course_id)}
                                                           for course in two_courses]}, version="v2")
    finally:
        COURSE_ENROLLMENT_CREATED.disconnect(on_enrollment_created)

    assert response.status_code == 200
    assert created == [("course-v1:LMSX+Intro+2026", "audit", "auserton"),
                       ("course-v1:LMSX+Advanced+2026", "audit", "auserton")]


def test_an_enrollment_the_platforms_filter_refuses_undoes_the_whole_registration(
    caller, learner, two_courses, settings
):
    settings.OPEN_EDX_FILTERS_CONFIG = {"org.openedx.learning.course.enrollment.started.v1": {
        "fail_silently": False, "pipeline": [f"{__name__}.RefuseAdvancedCourses"],
    }}

    response = caller.post({**learner, "enrollments": [{"course_id": str(course.course_id)}
                                                       for course in two_courses]}, version="v2")

    assert response.status_code == 400
    assert response.json()["field_errors"] == {
        "enrollments": ["Item 2 (course-v1:LMSX+Advanced+2026): Take the placement test first."]
    }
    assert not User.objects.exists()
    assert not CourseEnrollment.objects.exists()
    assert not mail.outbox
