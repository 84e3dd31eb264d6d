"""A site with two courses, another site with one, and learners registered on each through the API."""
import pytest
from opaque_keys.edx.keys import CourseKey

from tests.conftest import OTHER_HOST, Caller
from tests.factories import ApiKeyFactory, CourseFactory, SiteConfigurationFactory

INTRO = "course-v1:LMSX+Intro+2026"
ADVANCED = "course-v1:LMSX+Advanced+2026"
OTHER_SITES = "course-v1:OtherX+Intro+2026"


@pytest.fixture(autouse=True)
def _real_commits(transactional_db):  # pylint: disable=unused-argument
    """Emails and the platform's side effects go out after commit: these tests need real commits."""


@pytest.fixture
def courses(site, other_site):
    """Two courses of the key's site (organization LMSX), one of the other site's (OtherX)."""
    SiteConfigurationFactory(site=site, site_values={"course_org_filter": ["LMSX"]})
    SiteConfigurationFactory(site=other_site, site_values={"course_org_filter": "OtherX"})
    return {
        INTRO: CourseFactory(course_id=CourseKey.from_string(INTRO), display_name="Intro", modes=[]),
        ADVANCED: CourseFactory(course_id=CourseKey.from_string(ADVANCED), display_name="Advanced",
                                modes=["audit", "verified"]),
        OTHER_SITES: CourseFactory(course_id=CourseKey.from_string(OTHER_SITES), display_name="Other"),
    }


@pytest.fixture
def other_caller(client, other_site, platform):  # pylint: disable=unused-argument
    return Caller(client, ApiKeyFactory(site=other_site).secret, host=OTHER_HOST)


def register(caller, username, **fields):
    """Register a learner through the API (active at once: no activation email); return its user id."""
    response = caller.post({"username": username, "email": f"{username}@example.com", "name": username.title(),
                            "password": "a-long-passphrase-2026", "send_activation_email": False, **fields},
                           version="v2")
    assert response.status_code == 200, response.content
    return response.json()["user_id"]
