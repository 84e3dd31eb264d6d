"""POST /tahoe/api/v2/enrollments/ (CONTRACT §10): the site's learners in the site's courses, all or nothing."""
import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tahoe_registration_plugin.models import EnrollmentRecord, IdempotencyRecord
from tahoe_registration_plugin.standalone.models import CourseEnrollment, CourseEnrollmentAllowed
from tests.factories import UserFactory
from tests.rest_api.v2.conftest import ADVANCED, INTRO, OTHER_SITES, register

User = get_user_model()
pytestmark = pytest.mark.usefixtures("courses")


def enrollments():
    """Every enrollment row: ``{(username, course_id): (mode, is_active)}``."""
    return {(row.user.username, str(row.course_id)): (row.mode, row.is_active)
            for row in CourseEnrollment.objects.select_related("user")}


def allowed():
    return {(row.email, str(row.course_id), row.auto_enroll) for row in CourseEnrollmentAllowed.objects.all()}


def test_learners_are_enrolled_by_email_or_username_with_one_result_each_in_order(caller):
    alex, sam = register(caller, "alex"), register(caller, "sam")

    response = caller.enroll({"action": "enroll", "courses": [INTRO, ADVANCED], "learners": ["ALEX@example.com",
                                                                                             "sam"]})

    assert response.status_code == 200, response.content
    assert response.json() == {"action": "enroll", "results": [
        {"learner": "ALEX@example.com", "course_id": INTRO, "user_id": alex, "mode": "audit", "status": "enrolled"},
        {"learner": "ALEX@example.com", "course_id": ADVANCED, "user_id": alex, "mode": "audit",
         "status": "enrolled"},
        {"learner": "sam", "course_id": INTRO, "user_id": sam, "mode": "audit", "status": "enrolled"},
        {"learner": "sam", "course_id": ADVANCED, "user_id": sam, "mode": "audit", "status": "enrolled"},
    ]}
    assert enrollments() == {("alex", INTRO): ("audit", True), ("alex", ADVANCED): ("audit", True),
                             ("sam", INTRO): ("audit", True), ("sam", ADVANCED): ("audit", True)}
    assert len(mail.outbox) == 0  # email_learners is off by default


def test_enrolling_again_says_already_enrolled_and_changes_nothing(caller):
    alex = register(caller, "alex")
    caller.enroll({"action": "enroll", "courses": [ADVANCED], "learners": ["alex"], "mode": "verified"})

    response = caller.enroll({"action": "enroll", "courses": [ADVANCED], "learners": ["alex", "alex@example.com"]})

    assert [(item["status"], item["mode"], item["user_id"]) for item in response.json()["results"]] == [
        ("already_enrolled", "verified", alex), ("already_enrolled", "verified", alex),
    ]
    assert enrollments() == {("alex", ADVANCED): ("verified", True)}


def test_a_learner_named_twice_is_enrolled_once(caller):
    register(caller, "alex")

    response = caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["alex", "Alex@Example.com"]})

    assert [item["status"] for item in response.json()["results"]] == ["enrolled", "already_enrolled"]
    assert enrollments() == {("alex", INTRO): ("audit", True)}


def test_an_email_without_an_account_is_pre_enrolled_and_enrolled_once_registered_and_active(caller):
    response = caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["New.Person@Example.COM"]})

    assert response.json()["results"] == [{"learner": "New.Person@Example.COM", "course_id": INTRO,
                                           "user_id": None, "mode": None, "status": "pre_enrolled"}]
    assert allowed() == {("New.Person@example.com", INTRO, True)}
    assert enrollments() == {}

    register(caller, "newperson", email="New.Person@example.com")

    assert enrollments() == {("newperson", INTRO): ("audit", True)}


def test_a_pre_enrolled_learner_is_enrolled_only_when_the_account_is_activated(caller):
    caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["kim@example.com"]})
    response = caller.post({"username": "kim", "email": "kim@example.com", "name": "Kim",
                            "password": "a-long-passphrase-2026"}, version="v2")
    assert response.status_code == 200
    assert enrollments() == {}  # inactive until the activation email's link is followed

    user = User.objects.get(username="kim")
    user.is_active = True
    user.save()

    assert enrollments() == {("kim", INTRO): ("audit", True)}


def test_without_auto_enroll_an_email_without_an_account_is_unknown_and_nothing_is_kept(caller):
    response = caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["new@example.com", "nobody"],
                              "auto_enroll": False})

    assert [item["status"] for item in response.json()["results"]] == ["unknown_learner", "unknown_learner"]
    assert allowed() == set()


def test_another_sites_learner_is_answered_as_one_who_does_not_exist(caller, other_caller):
    register(other_caller, "elsewhere")

    response = caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["elsewhere",
                                                                                   "elsewhere@example.com"]})

    assert response.json()["results"] == [
        {"learner": "elsewhere", "course_id": INTRO, "user_id": None, "mode": None, "status": "unknown_learner"},
        {"learner": "elsewhere@example.com", "course_id": INTRO, "user_id": None, "mode": None,
         "status": "pre_enrolled"},
    ]
    assert enrollments() == {}


def test_staff_are_nobodys_learners(caller):
    UserFactory(username="operator", email="operator@example.com", is_staff=True)

    response = caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["operator"]})

    assert response.json()["results"][0]["status"] == "unknown_learner"
    assert enrollments() == {}


def test_unenrolling_says_what_was_undone(caller):
    alex = register(caller, "alex")
    register(caller, "sam")
    caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["alex", "pending@example.com"]})

    response = caller.enroll({"action": "unenroll", "courses": [INTRO],
                              "learners": ["alex", "sam", "pending@example.com", "nobody@example.com"]})

    assert response.status_code == 200, response.content
    assert response.json() == {"action": "unenroll", "results": [
        {"learner": "alex", "course_id": INTRO, "user_id": alex, "mode": "audit", "status": "unenrolled"},
        {"learner": "sam", "course_id": INTRO, "user_id": User.objects.get(username="sam").pk, "mode": None,
         "status": "not_enrolled"},
        {"learner": "pending@example.com", "course_id": INTRO, "user_id": None, "mode": None,
         "status": "pre_enrollment_removed"},
        {"learner": "nobody@example.com", "course_id": INTRO, "user_id": None, "mode": None,
         "status": "unknown_learner"},
    ]}
    assert enrollments() == {("alex", INTRO): ("audit", False)}
    assert allowed() == set()


@pytest.mark.parametrize("body, field, message", [
    ({"action": "enroll", "courses": [OTHER_SITES], "learners": ["alex"]}, "courses",
     f"Item 1 ({OTHER_SITES}): there is no such course on this site."),
    ({"action": "enroll", "courses": ["course-v1:otherx+Intro+2026"], "learners": ["alex"]}, "courses",
     "Item 1 (course-v1:otherx+Intro+2026): there is no such course on this site."),
    ({"action": "enroll", "courses": [INTRO, "course-v1:lmsx+intro+2026"], "learners": ["alex"]}, "courses",
     "Item 2 (course-v1:lmsx+intro+2026): the course is listed twice."),
    ({"action": "enroll", "courses": [INTRO, ADVANCED], "learners": ["alex"], "mode": "verified"}, "courses",
     f"Item 1 ({INTRO}): the course has no mode 'verified'; it offers audit."),
    ({"action": "enroll", "courses": ["nope"], "learners": ["alex"]}, "courses",
     "Item 1 (nope): not a valid course id."),
    ({"action": "enroll", "courses": [], "learners": ["alex"]}, "courses", "Must name at least one."),
    ({"action": "enroll", "courses": [INTRO], "learners": [7]}, "learners", "Item 1 (7): Not a valid string."),
    ({"action": "enroll", "courses": [INTRO], "learners": [f"l{n}" for n in range(101)]}, "learners",
     "At most 100 are accepted in one call."),
    ({"action": "unenroll", "courses": [INTRO], "learners": ["alex"], "mode": "audit"}, "mode",
     "Only an enroll call takes a mode."),
    ({"action": "drop", "courses": [INTRO], "learners": ["alex"]}, "action", '"drop" is not a valid choice.'),
    # No username holds an invisible or control character: a clear refusal, not an unknown learner.
    ({"action": "enroll", "courses": [INTRO], "learners": ["al\u200bex"]}, "learners",
     "Item 1 (al\u200bex): Must not contain invisible or control characters."),
])
def test_a_request_invalid_as_a_whole_is_a_400_naming_it_and_changes_nothing(caller, body, field, message):
    register(caller, "alex")

    response = caller.enroll(body)

    assert response.status_code == 400, response.content
    assert response.json()["field_errors"] == {field: [message]}
    assert enrollments() == {} and allowed() == set()
    assert not EnrollmentRecord.objects.exists()


def test_each_outcome_is_in_the_audit_trail_with_its_key(caller, api_key):
    alex = register(caller, "alex")

    caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["alex", "new@example.com", "ghost"]})

    rows = [(row.api_key_id, row.user_id, row.learner, row.action, row.course_id, row.status, row.mode)
            for row in EnrollmentRecord.objects.order_by("pk")]
    assert rows == [
        (api_key.pk, alex, "alex", "enroll", INTRO, "enrolled", "audit"),
        (api_key.pk, None, "new@example.com", "enroll", INTRO, "pre_enrolled", ""),
        (api_key.pk, None, "ghost", "enroll", INTRO, "unknown_learner", ""),
    ]


def test_the_same_idempotency_key_and_body_answers_again_without_changing_anything(caller):
    register(caller, "alex")
    body = {"action": "enroll", "courses": [INTRO], "learners": ["alex", "new@example.com"]}

    first = caller.enroll(body, HTTP_IDEMPOTENCY_KEY="call-1")
    second = caller.enroll(body, HTTP_IDEMPOTENCY_KEY="call-1")
    other_body = caller.enroll({**body, "learners": ["alex"]}, HTTP_IDEMPOTENCY_KEY="call-1")

    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert [item["status"] for item in second.json()["results"]] == ["enrolled", "pre_enrolled"]
    assert other_body.status_code == 422
    assert EnrollmentRecord.objects.count() == 2
    assert IdempotencyRecord.objects.filter(enrollment_call__isnull=False).count() == 1


def test_a_registrations_idempotency_key_does_not_answer_for_enrollments(caller):
    caller.post({"username": "alex", "email": "alex@example.com", "name": "Alex"}, version="v2",
                HTTP_IDEMPOTENCY_KEY="same")

    response = caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["alex"]},
                             HTTP_IDEMPOTENCY_KEY="same")

    assert response.status_code == 422
    assert enrollments() == {}


def test_email_learners_sends_the_enrollment_email_of_each_change_after_commit(caller):
    register(caller, "alex")
    mail.outbox.clear()

    response = caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["alex", "new@example.com", "x"],
                              "email_learners": True})

    assert response.status_code == 200
    assert "warnings" not in response.json()
    assert sorted((message.to[0], message.subject) for message in mail.outbox) == [
        ("alex@example.com", "You have been enrolled in Intro"),
        ("new@example.com", "You have been invited to register for Intro"),
    ]
