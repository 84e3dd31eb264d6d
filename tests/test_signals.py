"""When the LMS retires a user, the plugin forgets what it holds of them (through its signals_config)."""
import pytest
from django.contrib.auth import get_user_model
from edx_django_utils.plugins import connect_plugin_receivers
from opaque_keys.edx.keys import CourseKey

from tahoe_registration_plugin.models import EnrollmentRecord, IdempotencyRecord, RegistrationRecord
from tahoe_registration_plugin.signals import retire_user
from tests.conftest import OPENEDX_BACKEND
from tests.factories import CourseFactory
from tests.openedx_stand_ins import lms as platform_modules

User = get_user_model()


@pytest.fixture
def lms(settings):
    """The Open edX backend over the stand-ins, with the plugin's receivers connected as an LMS connects them."""
    settings.TAHOE_REGISTRATION_PLATFORM_BACKEND = OPENEDX_BACKEND
    with platform_modules.installed():
        connect_plugin_receivers("lms.djangoapp")
        yield
        platform_modules.USER_RETIRE_LMS_MISC.disconnect(retire_user, dispatch_uid="tahoe_registration_plugin"
                                                                                   ".signals.retire_user")


@pytest.mark.usefixtures("lms")
def test_retiring_a_user_blanks_their_digests_and_idempotency_records(caller, learner):
    caller.post(learner, version="v2", HTTP_IDEMPOTENCY_KEY="order-1")
    user = User.objects.get()
    other = caller.post({**learner, "username": "other", "email": "other@example.com"}, version="v2")

    # As LMSAccountRetirementView sends it, once it has scrambled the user's username and email.
    User.objects.filter(pk=user.pk).update(username="retired__user_abc", email="retired__user_abc@retired.invalid")
    platform_modules.USER_RETIRE_LMS_MISC.send(sender=None, email=learner["email"],
                                               new_email="retired__user_abc@retired.invalid", user=user)

    record = RegistrationRecord.objects.get(user=user)
    assert (record.username_digest, record.email_digest) == (None, None)
    assert not IdempotencyRecord.objects.filter(user=user).exists()
    # The other learner's records are untouched.
    assert RegistrationRecord.objects.get(user_id=other.json()["user_id"]).email_digest is not None
    # And the retired identity no longer blocks a new account.
    assert caller.post(learner, version="v2").status_code == 200


@pytest.mark.usefixtures("lms")
def test_retiring_a_user_blanks_how_enrollments_calls_named_them(caller, learner):
    user_id = caller.post({**learner, "password": "a-long-passphrase-2026", "send_activation_email": False},
                          version="v2").json()["user_id"]
    user = User.objects.get(pk=user_id)
    CourseFactory(course_id=CourseKey.from_string("course-v1:LMSX+None+2026"))
    for named in (learner["email"].upper(), learner["username"], "someone.else@example.com"):
        caller.post({"action": "unenroll", "courses": ["course-v1:LMSX+None+2026"], "learners": [named]},
                    path="/tahoe/api/v2/enrollments/")

    User.objects.filter(pk=user.pk).update(username="retired__user_abc", email="retired__user_abc@retired.invalid")
    platform_modules.USER_RETIRE_LMS_MISC.send(sender=None, email=learner["email"],
                                               new_email="retired__user_abc@retired.invalid", user=user)

    assert sorted(EnrollmentRecord.objects.values_list("learner", flat=True)) == ["", "", "someone.else@example.com"]
