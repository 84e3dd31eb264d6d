"""Register and enroll in one call (v2): courses of the key's site only, all or nothing, retry-safe."""
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from tahoe_registration_plugin.models import RegistrationRecord
from tahoe_registration_plugin.standalone.models import CourseEnrollment
from tests.factories import CourseFactory, SiteConfigurationFactory

User = get_user_model()
INTRO = "course-v1:LMSX+Intro+2026"
ADVANCED = "course-v1:LMSX+Advanced+2026"
OTHER_SITES = "course-v1:OtherX+Intro+2026"


@pytest.fixture
def courses(site, other_site):
    """Two courses of the key's site (organization LMSX), one of the other site's (OtherX)."""
    SiteConfigurationFactory(site=site, site_values={"course_org_filter": ["LMSX"]})
    SiteConfigurationFactory(site=other_site, site_values={"course_org_filter": "OtherX"})
    return {
        INTRO: CourseFactory(course_id=CourseKey.from_string(INTRO), modes=[]),
        ADVANCED: CourseFactory(course_id=CourseKey.from_string(ADVANCED), modes=["audit", "verified"]),
        OTHER_SITES: CourseFactory(course_id=CourseKey.from_string(OTHER_SITES)),
    }


def enrollments_of(user):
    return sorted((str(row.course_id), row.mode) for row in CourseEnrollment.objects.filter(user=user))


@pytest.mark.usefixtures("courses")
def test_a_registration_enrolls_in_each_course_and_says_so(caller, learner):
    response = caller.post(
        {**learner, "enrollments": [{"course_id": INTRO}, {"course_id": ADVANCED, "mode": "verified"}]}, version="v2",
    )

    assert response.status_code == 200, response.content
    user = User.objects.get()
    assert response.json() == {"user_id": user.pk, "enrollments": [
        {"course_id": INTRO, "mode": "audit"}, {"course_id": ADVANCED, "mode": "verified"},
    ]}
    assert enrollments_of(user) == [(ADVANCED, "verified"), (INTRO, "audit")]
    assert RegistrationRecord.objects.get(user=user).enrollments == response.json()["enrollments"]


@pytest.mark.usefixtures("courses")
@pytest.mark.parametrize("item, problem", [
    ({"course_id": "not-a-course"}, "Item 2 (not-a-course): not a valid course id."),
    ({"course_id": OTHER_SITES}, f"Item 2 ({OTHER_SITES}): there is no such course on this site."),
    ({"course_id": "course-v1:LMSX+Missing+2026"},
     "Item 2 (course-v1:LMSX+Missing+2026): there is no such course on this site."),
    ({"course_id": INTRO, "mode": "verified"},
     f"Item 2 ({INTRO}): the course has no mode 'verified'; it offers audit."),
    ({"course_id": INTRO, "mode": ""}, f"Item 2 ({INTRO}): mode must be a non-empty string."),
    ({"course_id": ADVANCED}, f"Item 2 ({ADVANCED}): the course is listed twice."),
    (INTRO, f"Item 2 ({INTRO}): must be an object: {{\"course_id\": …, \"mode\": …}}."),
])
def test_a_refused_item_is_a_400_naming_it_and_nothing_is_created(caller, learner, item, problem):
    response = caller.post({**learner, "enrollments": [{"course_id": ADVANCED}, item]}, version="v2")

    assert response.status_code == 400
    assert response.json()["field_errors"] == {"enrollments": [problem]}
    assert not User.objects.exists()
    assert not CourseEnrollment.objects.exists()


@pytest.mark.usefixtures("courses")
def test_a_conflict_is_still_a_409_before_the_courses_are_judged(caller, learner):
    caller.post(learner, version="v2")

    response = caller.post({**learner, "enrollments": [{"course_id": OTHER_SITES}]}, version="v2")

    assert response.status_code == 409


def test_a_site_without_an_organization_filter_has_the_courses_no_other_site_claims(caller, learner, other_site):
    SiteConfigurationFactory(site=other_site, site_values={"course_org_filter": ["OtherX"]})
    CourseFactory(course_id=CourseKey.from_string(INTRO))
    CourseFactory(course_id=CourseKey.from_string(OTHER_SITES))

    refused = caller.post({**learner, "enrollments": [{"course_id": OTHER_SITES}]}, version="v2")
    made = caller.post({**learner, "enrollments": [{"course_id": INTRO}]}, version="v2")

    assert refused.status_code == 400
    assert made.status_code == 200
    assert enrollments_of(User.objects.get()) == [(INTRO, "audit")]


@pytest.mark.usefixtures("courses")
def test_at_most_the_configured_number_of_courses(caller, learner, settings):
    settings.TAHOE_REGISTRATION_MAX_ENROLLMENTS = 1

    response = caller.post({**learner, "enrollments": [{"course_id": INTRO}, {"course_id": ADVANCED}]},
                           version="v2")

    assert response.status_code == 400
    assert response.json()["field_errors"] == {
        "enrollments": ["At most 1 courses can be enrolled in with one registration."]
    }


@pytest.mark.usefixtures("courses")
def test_v1_stays_as_the_tahoe_document_describes_it(caller, learner):
    response = caller.post({**learner, "enrollments": [{"course_id": INTRO}]}, version="v1")

    user = User.objects.get()
    assert response.json() == {"user_id": user.pk, "user_id ": user.pk}
    assert not CourseEnrollment.objects.exists()


@pytest.mark.usefixtures("courses")
def test_a_retry_with_the_same_idempotency_key_answers_the_same_enrollments(caller, learner):
    body = {**learner, "enrollments": [{"course_id": ADVANCED, "mode": "verified"}]}

    first = caller.post(body, version="v2", HTTP_IDEMPOTENCY_KEY="order-77")
    again = caller.post(body, version="v2", HTTP_IDEMPOTENCY_KEY="order-77")

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert CourseEnrollment.objects.count() == 1


@pytest.mark.usefixtures("courses")
@pytest.mark.parametrize("enrollments", [{}, INTRO, 7])
def test_enrollments_that_are_not_a_list_are_a_400(caller, learner, enrollments):
    response = caller.post({**learner, "enrollments": enrollments}, version="v2")

    assert response.status_code == 400
    assert response.json()["field_errors"] == {
        "enrollments": ['Must be a list of {"course_id": …, "mode": …} objects.']
    }


@pytest.mark.usefixtures("courses")
def test_a_form_body_cannot_carry_enrollments(caller, learner):
    response = caller.post({**learner, "enrollments": INTRO}, version="v2", fmt="form")

    assert response.status_code == 400
    assert "enrollments" in response.json()["field_errors"]


# --- another site's courses, by any spelling -------------------------------------------------------

@pytest.fixture
def main_and_other_sites_courses(other_site):
    """The key's site has no organization filter (the main site); the other site claims OrgB."""
    SiteConfigurationFactory(site=other_site, site_values={"course_org_filter": ["OrgB"]})
    CourseFactory(course_id=CourseKey.from_string("course-v1:OrgB+C1+R"))
    CourseFactory(course_id=CourseKey.from_string("course-v1:Free+C1+R"), modes=["audit", "verified"])


@pytest.mark.usefixtures("main_and_other_sites_courses")
@pytest.mark.parametrize("course_id", [
    "course-v1:orgb+C1+R", "course-v1:ORGB+c1+r", "course-v1:OrgB+C1+R",
    # Databases that fold accents (MySQL's utf8mb4_unicode_ci) find Free's course under these.
    "course-v1:Frée+C1+R", "course-v1:FRÉE+C1+R",
])
def test_another_sites_course_or_a_look_alike_of_ours_is_no_course_whatever_the_database(caller, learner, course_id):
    response = caller.post({**learner, "enrollments": [{"course_id": course_id}]}, version="v2")

    assert response.status_code == 400
    assert response.json()["field_errors"] == {
        "enrollments": [f"Item 1 ({course_id}): there is no such course on this site."],
    }
    assert not User.objects.exists()
    assert not CourseEnrollment.objects.exists()


@pytest.mark.usefixtures("main_and_other_sites_courses")
def test_our_course_in_another_case_is_enrolled_in_as_stored(caller, learner):
    response = caller.post({**learner, "enrollments": [{"course_id": "course-v1:free+c1+r", "mode": "verified"}]},
                           version="v2")

    assert response.status_code == 200, response.content
    assert response.json()["enrollments"] == [{"course_id": "course-v1:Free+C1+R", "mode": "verified"}]
    assert enrollments_of(User.objects.get()) == [("course-v1:Free+C1+R", "verified")]


@pytest.mark.usefixtures("main_and_other_sites_courses")
def test_two_spellings_of_one_course_are_a_400_naming_the_second(caller, learner):
    response = caller.post({**learner, "enrollments": [
        {"course_id": "course-v1:Free+C1+R"}, {"course_id": "course-v1:free+c1+r"},
    ]}, version="v2")

    assert response.status_code == 400
    assert "Retry-After" not in response
    assert response.json()["field_errors"] == {
        "enrollments": ["Item 2 (course-v1:free+c1+r): the course is listed twice."],
    }
    assert not User.objects.exists()


def test_expired_and_credit_modes_are_not_offered(caller, learner):
    course = CourseFactory(course_id=CourseKey.from_string(INTRO), modes=["audit", "verified", "credit"])
    course.course_modes.filter(mode_slug="verified").update(expiration_datetime=timezone.now())

    responses = [caller.post({**learner, "enrollments": [{"course_id": INTRO, "mode": mode}]}, version="v2")
                 for mode in ("verified", "credit")]

    assert [response.json()["field_errors"]["enrollments"] for response in responses] == [
        [f"Item 1 ({INTRO}): the course has no mode {mode!r}; it offers audit."] for mode in ("verified", "credit")
    ]
