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
from django.db import IntegrityError, OperationalError, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from opaque_keys.edx.keys import CourseKey
from openedx_events.learning.signals import (
    COURSE_ENROLLMENT_CHANGED,
    COURSE_ENROLLMENT_CREATED,
    STUDENT_REGISTRATION_COMPLETED,
)
from openedx_filters import PipelineStep
from openedx_filters.learning.filters import CourseEnrollmentStarted, StudentRegistrationRequested
from waffle.models import Flag

from tahoe_registration_plugin.models import RegistrationRecord
from tahoe_registration_plugin.standalone.models import CourseEnrollment, CourseEnrollmentAllowed, Profile, Registration
from tests.conftest import OPENEDX_BACKEND, Caller
from tests.extension_form.forms import LearnerExtraInfoForm
from tests.factories import ApiKeyFactory, CourseFactory, SiteConfigurationFactory
from tests.openedx_stand_ins import enrollment, lms, records, user_authn
from tests.openedx_stand_ins.models import UserAttribute, UserSignupSource

User = get_user_model()
PASSWORD = "correct-horse-battery"
REGISTRATION_REQUESTED = "org.openedx.learning.student.registration.requested.v1"


@pytest.fixture
def platform(settings):
    """These tests are about the Open edX backend alone."""
    settings.TAHOE_REGISTRATION_PLATFORM_BACKEND = OPENEDX_BACKEND
    with lms.installed():
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

    user_authn.REGISTER_USER.connect(on_register_user, weak=False)
    STUDENT_REGISTRATION_COMPLETED.connect(on_registration_completed, weak=False)
    yield deliveries
    user_authn.REGISTER_USER.disconnect(on_register_user)
    STUDENT_REGISTRATION_COMPLETED.disconnect(on_registration_completed)


@pytest.mark.django_db(transaction=True)
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
    assert records.calls == [
        ("AccountCreationForm", None, (), False, False),
        # The language preference's tracking event, held until the account was committed.
        ("tracker.emit", "edx.user.settings.changed",
         {"setting": "pref-lang", "new": "en", "user_id": user.pk, "table": "user_api_userpreference"}, {}),
        ("create_comments_service_user", user.pk),
        # registration_flow=True, and where a learner goes after signing in on the site.
        ("compose_activation_email", user.pk, "http://localhost/dashboard", True),
    ]
    assert UserAttribute.objects.filter(user=user).values_list("name", "value").get() == (
        "created_on_site", other_site.domain,
    )
    # LocaleMiddleware, as in the LMS, activates the supported "en" for LANGUAGE_CODE "en-us".
    assert lms.preferences() == {(user.pk, "pref-lang"): "en"}
    assert [message.subject for message in mail.outbox] == ["Action Required: Activate your Open edX account"]
    assert user.registration.activation_key in mail.outbox[0].body


def test_the_after_commit_steps_reuse_the_rows_they_created(caller, learner):
    with CaptureQueriesContext(connection) as queries:
        response = caller.post({**learner, "password": PASSWORD})

    assert response.status_code == 200
    selects = [query["sql"] for query in queries.captured_queries if query["sql"].lstrip().upper().startswith("SELECT")]
    for table in (Registration._meta.db_table, Profile._meta.db_table):
        assert not [sql for sql in selects if f"FROM {connection.ops.quote_name(table)}" in sql]


@pytest.mark.django_db(transaction=True)
def test_an_activation_email_the_task_cannot_send_is_logged_not_reported(caller, learner, caplog):
    with mock.patch.object(EmailBackend, "send_messages", side_effect=smtplib.SMTPException("relay refused")):
        response = caller.post({**learner, "password": PASSWORD})

    user = User.objects.get()
    assert response.json() == {"user_id": user.pk, "user_id ": user.pk}
    assert f"Activation email task failed for user {user.pk}." in caplog.text
    assert "alex.userton@example.com" not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_without_activation_email_the_account_is_activated_after_commit(caller, learner, received):
    caller.post({**learner, "password": PASSWORD, "send_activation_email": False})

    user = User.objects.get()
    assert user.is_active
    assert user.registration.activation_timestamp is not None
    assert not mail.outbox
    assert received[1][4] is True  # the event reports the account active


@pytest.mark.django_db(transaction=True)
def test_without_password_the_platforms_reset_email_goes_out_and_forgot_password_works_later(caller, learner):
    caller.post(learner)

    user = User.objects.get()
    assert not user.is_active
    assert [message.subject for message in mail.outbox] == ["Password reset on Open edX"]
    # Days later the link has expired: the learner asks again from the login page.
    request = RequestFactory().post("/password_reset/", HTTP_HOST="lms.example.com")
    form = user_authn.PasswordResetFormNoActive({"email": "ALEX.userton@example.com"})
    assert form.is_valid(), form.errors
    form.save(request=request)
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["alex.userton@example.com"]


def test_the_breached_password_check_applies_to_a_callers_password_only(caller, learner, settings):
    settings.ENABLE_AUTHN_REGISTER_HIBP_POLICY = True
    records.pwned_passwords[PASSWORD] = 10

    refused = caller.post({**learner, "password": PASSWORD}, version="v2")
    created = caller.post(learner, version="v2")

    assert refused.status_code == 400
    assert refused.json()["field_errors"] == {"password": [user_authn.AUTHN_PASSWORD_COMPROMISED_MSG]}
    assert created.status_code == 200


def test_a_retired_username_is_a_conflict(caller, learner):
    records.retired_usernames.add("auserton")

    response = caller.post(learner, version="v2")

    assert response.status_code == 409
    assert response.json() == {"user_message": "Username already exists", "invalid-params": ["username"]}
    assert not User.objects.exists()


@pytest.mark.parametrize("record", ["retired_emails", "secondary_emails"])
def test_a_retired_or_secondary_email_is_a_conflict(caller, learner, record):
    getattr(records, record).add("alex.userton@example.com")

    response = caller.post(learner, version="v2")

    assert response.status_code == 409
    assert response.json()["invalid-params"] == ["email"]
    assert not User.objects.exists()


@pytest.mark.parametrize("body, field, message", [
    ({"username": "bad name!"}, "username", user_authn.USERNAME_INVALID_CHARS_ASCII),
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
    # Invited to a course: a pre-enrollment of the address.
    CourseEnrollmentAllowed.objects.create(email=learner["email"], course_id=CourseKey.from_string(
        "course-v1:LMSX+Invited+2026"))
    invited = caller.post(learner, version="v2")

    assert refused.status_code == 400
    assert refused.json()["field_errors"] == {"email": ["Unauthorized email address."]}
    assert invited.status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("where", ["site_configuration", "features", "features, the top-level setting saying yes"])
def test_accounts_are_created_when_public_account_creation_is_off(caller, site, learner, settings, where, received):
    if where == "site_configuration":
        SiteConfigurationFactory(site=site, site_values={"ALLOW_PUBLIC_ACCOUNT_CREATION": False})
    else:
        # do_create_account reads FEATURES (helpers.py @ 4b16493f): the top-level setting is not its say.
        settings.FEATURES = {"ALLOW_PUBLIC_ACCOUNT_CREATION": False}
        settings.ALLOW_PUBLIC_ACCOUNT_CREATION = where.endswith("yes")

    response = caller.post({**learner, "password": PASSWORD})

    assert response.status_code == 200
    user = User.objects.get()
    assert (user.profile.name, user.is_active, user.check_password(PASSWORD)) == ("Alex Userton", False, True)
    assert user.registration.activation_key in mail.outbox[0].body
    assert [delivery[0] for delivery in received] == ["REGISTER_USER", "STUDENT_REGISTRATION_COMPLETED"]


def test_the_newer_profile_extension_form_getter_is_used_when_the_platform_has_it(caller, learner, monkeypatch):
    form_module = lms.STAND_IN_MODULES["openedx.core.djangoapps.user_authn.views.registration_form"]
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("flag", ["SKIP_EMAIL_VALIDATION", "AUTOMATIC_AUTH_FOR_TESTING"])
def test_a_site_that_skips_email_validation_activates_without_an_activation_email(caller, learner, settings, flag):
    setattr(settings, flag, True)

    with_password = caller.post({**learner, "password": PASSWORD})
    without = caller.post({**learner, "username": "other", "email": "other@example.com"})

    assert with_password.status_code == without.status_code == 200
    assert User.objects.get(username="auserton").is_active
    assert User.objects.get(username="other").is_active
    assert [message.subject for message in mail.outbox] == ["Password reset on Open edX"]


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_a_site_requiring_third_party_sign_in_refuses_as_the_platforms_sign_up_does(caller, learner, settings, version):
    settings.ENABLE_REQUIRE_THIRD_PARTY_AUTH = True

    response = caller.post({**learner, "password": PASSWORD}, version=version)

    assert response.status_code == 403
    assert "identity provider" in response.json()["user_message"]
    assert not User.objects.exists()
    assert not mail.outbox


def test_the_learners_language_is_the_registering_requests(caller, learner, settings):
    settings.LANGUAGE_CODE = "fr"

    caller.post(learner)

    assert lms.preferences() == {(User.objects.get().pk, "pref-lang"): "fr"}


@pytest.mark.django_db(transaction=True)
def test_the_registration_is_tracked_in_segment_as_the_platform_tracks_it(caller, learner, settings):
    settings.LMS_SEGMENT_KEY = "segment-key"

    caller.post(learner)

    user = User.objects.get()
    tracked = [call for call in records.calls if call[0].startswith("segment.")]
    assert [call[:3] for call in tracked] == [
        ("segment.identify", user.pk, {
            "email": "alex.userton@example.com", "username": "auserton", "name": "Alex Userton", "age": -1,
            "yearOfBirth": user.date_joined.year, "education": None, "address": None, "gender": None,
            "country": "", "is_marketable": False, "anonymous_id": "",
        }),
        ("segment.track", user.pk, "edx.bi.user.account.registered"),
    ]
    properties, traits = tracked[1][3:]
    assert properties == {
        "category": "conversion", "email": "alex.userton@example.com", "label": None, "provider": None,
        "is_gender_selected": False, "is_year_of_birth_selected": False, "is_education_selected": False,
        "is_goal_set": False, "total_registration_time": 0, "activation_key": user.registration.activation_key,
        "host": "", "app_name": "tahoe_registration_api", "utm_campaign": "", "anonymous_id": "",
    }
    assert traits == {**properties, "user_id": user.pk, "joined_date": user.date_joined.strftime("%Y-%m-%d")}


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


@pytest.mark.django_db(transaction=True)
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


@pytest.mark.django_db(transaction=True)
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


# --- nothing leaves the process for what is rolled back -----------------------------------------


@pytest.fixture
def outside(settings):
    """
    Everything an enrollment sends out of the process, as it is sent: the platform's enrollment
    signal, openedx-events (what the event bus producer receives), the tracking log, Segment, and
    the enrollment email task; each with whether a transaction was still open.
    """
    settings.LMS_SEGMENT_KEY = "segment-key"
    Flag.objects.create(name="student.enable_enrollment_confirmation_email", everyone=True)
    seen = []

    def on_status_change(sender, event, user, course_id, **kwargs):  # pylint: disable=unused-argument
        seen.append(("ENROLL_STATUS_CHANGE", event, str(course_id), connection.in_atomic_block))

    def on_event(enrollment, metadata, **kwargs):
        seen.append((metadata.event_type.split(".")[-2], str(enrollment.course.course_key), connection.in_atomic_block))

    signal = enrollment.ENROLL_STATUS_CHANGE
    signal.connect(on_status_change, weak=False)
    for event in (COURSE_ENROLLMENT_CREATED, COURSE_ENROLLMENT_CHANGED):
        event.connect(on_event, weak=False)
    yield seen
    signal.disconnect(on_status_change)
    for event in (COURSE_ENROLLMENT_CREATED, COURSE_ENROLLMENT_CHANGED):
        event.disconnect(on_event)


def left(outside_seen):
    """What went out: the receivers' deliveries, and the tasks and analytics the platform's stand-ins recorded."""
    return outside_seen + [call[:3] for call in records.calls if call[0] == "celery" or (
        call[0] in ("tracker.emit", "segment.track") and "enrollment" in " ".join(map(str, call[1:3]))
    )]


@pytest.mark.django_db(transaction=True)
def test_an_enrollments_side_effects_go_out_once_after_the_commit(caller, learner, two_courses, outside):
    response = caller.post({**learner, "enrollments": [{"course_id": str(two_courses[0].course_id)}]}, version="v2")

    assert response.status_code == 200
    user_id, course_id = response.json()["user_id"], str(two_courses[0].course_id)
    assert left(outside) == [
        ("changed", course_id, False),
        ("ENROLL_STATUS_CHANGE", "enroll", course_id, False),
        ("created", course_id, False),
        ("celery", "common.djangoapps.student.tasks.send_course_enrollment_email",
         (user_id, course_id, "Course Intro")),
        ("tracker.emit", "edx.course.enrollment.activated",
         {"user_id": user_id, "course_id": course_id, "mode": "audit"}),
        ("segment.track", user_id, "edx.course.enrollment.activated"),
    ]


@pytest.mark.django_db(transaction=True)
def test_an_enrollment_the_filter_refuses_later_sends_nothing_for_the_earlier_one(
    caller, learner, two_courses, settings, outside
):
    settings.OPEN_EDX_FILTERS_CONFIG = {"org.openedx.learning.course.enrollment.started.v1": {
        "fail_silently": False, "pipeline": [f"{__name__}.RefuseAdvancedCourses"],
    }}

    response = caller.post({**learner, "enrollments": [{"course_id": str(course.course_id)}
                                                       for course in two_courses]}, version="v2")

    assert response.status_code == 400
    assert left(outside) == []
    assert not CourseEnrollment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_enrollment_whose_record_the_database_refuses_sends_nothing(caller, learner, two_courses, outside):
    with mock.patch.object(RegistrationRecord.objects, "record", side_effect=IntegrityError("refused")):
        response = caller.post({**learner, "enrollments": [{"course_id": str(two_courses[0].course_id)}]},
                               version="v2")

    assert response.status_code == 503
    assert left(outside) == []
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_transaction_tried_again_sends_its_enrollments_once(caller, learner, two_courses, outside):
    record = RegistrationRecord.objects.record
    attempts = iter([OperationalError("deadlock found"), None])

    def deadlocked_once(**kwargs):
        failure = next(attempts)
        if failure:
            raise failure
        return record(**kwargs)

    with mock.patch.object(RegistrationRecord.objects, "record", side_effect=deadlocked_once):
        response = caller.post({**learner, "enrollments": [{"course_id": str(two_courses[0].course_id)}]},
                               version="v2")

    assert response.status_code == 200
    assert [item[0] for item in left(outside)] == [
        "changed", "ENROLL_STATUS_CHANGE", "created", "celery", "tracker.emit", "segment.track",
    ]


# --- the platform's receivers and getters, as strict as the platform --------------------------------


def test_a_site_with_a_site_name_records_where_the_learner_signed_up(caller, site, learner):
    SiteConfigurationFactory(site=site, site_values={"SITE_NAME": "lms.example.com"})

    caller.post(learner)

    assert UserSignupSource.objects.get().site == "lms.example.com"


@pytest.mark.parametrize("setting", ["PROFILE_EXTENSION_FORM", "REGISTRATION_EXTENSION_FORM"])
def test_an_extension_form_that_does_not_load_is_none_as_the_newest_platform_has_it(
        caller, learner, settings, setting, caplog):
    setattr(settings, setting, "tests.extension_form.forms.NoSuchForm")

    response = caller.post(learner)

    assert response.status_code == 200
    assert "Could not load form from" in caplog.text


def test_the_profile_extension_form_comes_before_the_registration_one(caller, learner, settings):
    settings.PROFILE_EXTENSION_FORM = "tests.extension_form.forms.LearnerExtraInfoForm"
    settings.REGISTRATION_EXTENSION_FORM = "tests.extension_form.forms.NoSuchForm"

    response = caller.post(learner)

    assert response.json()["field_errors"] == {"company": ["This field is required."]}
