"""
The enrollments endpoint on the Open edX backend, over stand-ins as strict as the platform: the
site's learners as the platform records them, its enroll and unenroll with their side effects
held until commit, its pre-enrollments, its instructor emails.
"""
import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tahoe_registration_plugin.models import EnrollmentRecord
from tahoe_registration_plugin.standalone.models import CourseEnrollment, CourseEnrollmentAllowed, Profile
from tests.backends.test_openedx import platform  # noqa: F401 pylint: disable=unused-import
from tests.backends.test_openedx import two_courses  # noqa: F401 pylint: disable=unused-import
from tests.backends.test_openedx import RefuseAdvancedCourses, left, outside  # noqa: F401 pylint: disable=unused-import
from tests.factories import UserFactory
from tests.openedx_stand_ins import records
from tests.openedx_stand_ins.models import UserAttribute, UserSignupSource

User = get_user_model()
INTRO, ADVANCED = "course-v1:LMSX+Intro+2026", "course-v1:LMSX+Advanced+2026"


@pytest.fixture(autouse=True)
def _real_commits(transactional_db):  # pylint: disable=unused-argument
    """Side effects go out after commit: these tests need real commits."""


def signed_up(username, site_domain=None, signup_source=None, **fields):
    """A learner who registered through a site's own form, as the platform records it."""
    user = UserFactory(username=username, **fields)
    Profile.objects.create(user=user, name=username.title())  # the platform's form always makes one
    if site_domain:
        UserAttribute.objects.create(user=user, name="created_on_site", value=site_domain)
    if signup_source:
        UserSignupSource.objects.create(user=user, site=signup_source)
    return user


@pytest.mark.usefixtures("two_courses")
def test_the_sites_learners_are_those_the_platform_records_as_signed_up_there(caller):
    by_attribute = signed_up("byattribute", site_domain="LMS.example.com")
    by_source = signed_up("bysource", signup_source="lms.example.com")
    signed_up("elsewhere", site_domain="other.example.com")
    signed_up("defaultsite")  # no created_on_site: the default site's, as the platform assumes

    response = caller.enroll({"action": "enroll", "courses": [INTRO],
                              "learners": ["byattribute", "bysource", "elsewhere", "defaultsite"]})

    assert [(item["learner"], item["user_id"], item["status"]) for item in response.json()["results"]] == [
        ("byattribute", by_attribute.pk, "enrolled"), ("bysource", by_source.pk, "enrolled"),
        ("elsewhere", None, "unknown_learner"), ("defaultsite", None, "unknown_learner"),
    ]


@pytest.mark.usefixtures("two_courses")
def test_a_change_the_platform_refuses_undoes_the_whole_call_and_nothing_goes_out(caller, settings, outside):
    settings.OPEN_EDX_FILTERS_CONFIG = {"org.openedx.learning.course.enrollment.started.v1": {
        "fail_silently": False, "pipeline": [f"{RefuseAdvancedCourses.__module__}.RefuseAdvancedCourses"],
    }}
    signed_up("alex", site_domain="lms.example.com")

    response = caller.enroll({"action": "enroll", "courses": [INTRO, ADVANCED], "learners": ["alex"],
                              "email_learners": True})

    assert response.status_code == 400, response.content
    assert response.json()["field_errors"] == {
        "learners": [f"Learner alex ({ADVANCED}): Take the placement test first."],
    }
    assert not CourseEnrollment.objects.exists()
    assert not EnrollmentRecord.objects.exists()
    assert left(outside) == []
    assert not mail.outbox


@pytest.mark.usefixtures("two_courses")
def test_the_platforms_side_effects_go_out_once_after_the_commit(caller, outside):
    alex = signed_up("alex", site_domain="lms.example.com")
    caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["alex"]})
    outside.clear()
    records.calls.clear()

    response = caller.enroll({"action": "unenroll", "courses": [INTRO], "learners": ["alex"]})

    assert response.json()["results"][0]["status"] == "unenrolled"
    assert [event for event in left(outside) if event[0] in ("ENROLL_STATUS_CHANGE", "changed")] == [
        ("changed", INTRO, False), ("ENROLL_STATUS_CHANGE", "unenroll", INTRO, False),
    ]
    assert CourseEnrollment.objects.get(user=alex).is_active is False


@pytest.mark.usefixtures("two_courses")
def test_email_learners_sends_the_platforms_instructor_emails(caller):
    alex = signed_up("alex", site_domain="lms.example.com")
    caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["pending@example.com"]})

    caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["alex", "new@example.com"],
                   "email_learners": True})
    caller.enroll({"action": "unenroll", "courses": [INTRO], "learners": ["alex", "pending@example.com"],
                   "email_learners": True})

    sent = [call[1:4] for call in records.calls if call[0] == "send_mail_to_student"]
    assert sent == [
        (alex.email, "enrolled_enroll", alex.pk), ("new@example.com", "allowed_enroll", 0),
        (alex.email, "enrolled_unenroll", alex.pk), ("pending@example.com", "allowed_unenroll", 0),
    ]
    assert len(mail.outbox) == 4


@pytest.mark.usefixtures("two_courses")
def test_a_retired_address_is_not_pre_enrolled(caller):
    records.retired_emails.add("gone@example.com")

    response = caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["gone@example.com"]})

    assert response.json()["results"][0]["status"] == "unknown_learner"
    assert not CourseEnrollmentAllowed.objects.exists()


@pytest.mark.usefixtures("two_courses")
def test_a_pre_enrolled_learner_is_enrolled_by_the_platforms_receiver_on_activation(caller):
    caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["kim@example.com"]})
    user = signed_up("kim", email="kim@example.com", is_active=False)
    assert not CourseEnrollment.objects.exists()

    user.is_active = True
    user.save()

    assert CourseEnrollment.objects.filter(user=user, course_id=INTRO, is_active=True).exists()
