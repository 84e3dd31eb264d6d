"""GET users, courses and enrollments (CONTRACT §10–§12): the site's own, paginated, 100 a page."""
import pytest
from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import CourseKey

from tahoe_registration_plugin.rest_api.pagination import PAGE_SIZE
from tests.factories import CourseFactory
from tests.rest_api.v2.conftest import ADVANCED, INTRO, OTHER_SITES, register

User = get_user_model()
pytestmark = pytest.mark.usefixtures("courses")


def test_a_learner_is_found_by_email_or_username_as_a_registration_compares_them(caller):
    alex = register(caller, "alex", name="Alex Userton")
    caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["alex"]})

    by_email = caller.get("users", {"email": "ALEX@Example.com"})
    by_username = caller.get("users", {"username": "Alex"})

    assert by_email.status_code == 200, by_email.content
    [found] = by_email.json()["results"]
    assert by_username.json()["results"] == [found]
    assert {name: found[name] for name in ("user_id", "username", "email", "name", "is_active")} == {
        "user_id": alex, "username": "alex", "email": "alex@example.com", "name": "Alex Userton", "is_active": True,
    }
    assert found["date_joined"]
    assert found["enrollments"] == [{"course_id": INTRO, "mode": "audit", "is_active": True}]


@pytest.mark.parametrize("params", [
    {"email": "elsewhere@example.com"}, {"username": "elsewhere"}, {"email": "nobody@example.com"},
    {"username": "elsewhére"}, {"email": "elsewhere@EXAMPLE.com "},
])
def test_another_sites_learner_or_a_near_miss_is_not_found(caller, other_caller, params):
    register(other_caller, "elsewhere")
    register(caller, "elsewhere2")

    response = caller.get("users", params)

    assert response.status_code == 200
    assert response.json() == {"results": [], "next": None}


def test_the_sites_learners_are_listed_a_page_at_a_time_with_a_next_link(caller, other_caller):
    ids = [register(caller, f"learner{n}") for n in range(3)]
    register(other_caller, "elsewhere")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("tahoe_registration_plugin.rest_api.pagination.NextLinkPagination.page_size", 2)
        first = caller.get("users")
        second = caller.client.get(first.json()["next"], HTTP_HOST=caller.host,
                                   HTTP_AUTHORIZATION=f"Token {caller.secret}")

    assert [item["user_id"] for item in first.json()["results"]] == ids[:2]
    assert first.json()["next"].startswith("http://lms.example.com/tahoe/api/v2/users/?page=2")
    assert [item["user_id"] for item in second.json()["results"]] == ids[2:]
    assert second.json()["next"] is None
    assert PAGE_SIZE == 100


def test_the_sites_courses_are_listed_with_their_modes(caller):
    response = caller.get("courses")

    assert response.status_code == 200, response.content
    assert response.json()["next"] is None
    assert [(item["course_id"], item["name"], item["org"], item["modes"]) for item in response.json()["results"]] == [
        (ADVANCED, "Advanced", "LMSX", ["audit", "verified"]), (INTRO, "Intro", "LMSX", ["audit"]),
    ]
    assert OTHER_SITES not in response.content.decode()


def test_a_course_whose_org_differs_but_for_accents_is_not_the_sites(caller):
    CourseFactory(course_id=CourseKey.from_string("course-v1:LMSẊ+Trick+2026"))

    response = caller.get("courses")

    assert [item["course_id"] for item in response.json()["results"]] == [ADVANCED, INTRO]


def test_the_sites_enrollments_are_listed_and_filtered(caller, other_caller):
    alex, sam = register(caller, "alex"), register(caller, "sam")
    register(other_caller, "elsewhere")
    caller.enroll({"action": "enroll", "courses": [INTRO, ADVANCED], "learners": ["alex", "sam"]})
    other_caller.enroll({"action": "enroll", "courses": [OTHER_SITES], "learners": ["elsewhere"]})

    everything = caller.get("enrollments").json()
    by_course = caller.get("enrollments", {"course_id": "course-v1:lmsx+intro+2026"}).json()
    by_learner = caller.get("enrollments", {"learner": "SAM@example.com", "course_id": ADVANCED}).json()
    foreign = caller.get("enrollments", {"course_id": OTHER_SITES}).json()

    assert sorted((item["user_id"], item["course_id"]) for item in everything["results"]) == sorted(
        [(alex, INTRO), (alex, ADVANCED), (sam, INTRO), (sam, ADVANCED)]
    )
    assert everything["next"] is None
    assert {item["user_id"] for item in by_course["results"]} == {alex, sam}
    assert [(item["username"], item["course_id"], item["mode"], item["is_active"])
            for item in by_learner["results"]] == [("sam", ADVANCED, "audit", True)]
    assert foreign == {"results": [], "next": None}


def test_a_page_past_the_last_is_a_json_404(caller):
    response = caller.get("users", {"page": 9})

    assert response.status_code == 404
    assert response.json()["user_message"]


def test_the_read_endpoints_refuse_other_methods_with_405(caller):
    response = caller.post({}, path="/tahoe/api/v2/users/")

    assert response.status_code == 405
    assert response["Allow"] == "GET"


@pytest.mark.parametrize("params", [{"email": ""}, {"username": ""}])
def test_an_empty_filter_names_no_one(caller, params):
    register(caller, "alex")

    assert caller.get("users", params).json() == {"results": [], "next": None}
