"""The onboarding example, run as a person would run it, against a live server."""
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.sites.models import Site

from tahoe_registration_plugin.standalone.models import CourseEnrollment, CourseEnrollmentAllowed
from tests.factories import ApiKeyFactory, CourseFactory
from tests.live import PROJECT, live_server

EXAMPLE = PROJECT / "examples" / "onboard_learners.py"


def run(url, secret, *arguments):
    return subprocess.run([sys.executable, str(EXAMPLE), "--host", url, *arguments],
                          env={**os.environ, "TAHOE_API_USER_KEY": secret},
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.django_db(transaction=True)
def test_the_example_checks_the_course_looks_learners_up_and_pre_enrolls_them():
    api_key = ApiKeyFactory(site=Site.objects.get(pk=settings.SITE_ID), scopes=["read", "enroll"])
    course = CourseFactory()
    with live_server() as url:
        enrolled = run(url, api_key.secret, "--course", str(course.course_id), "new.hire@example.com")
        refused = run(url, api_key.secret, "--course", "course-v1:NopeX+None+2026", "new.hire@example.com")

    assert enrolled.returncode == 0, enrolled.stdout + enrolled.stderr
    assert "new.hire@example.com: no account yet" in enrolled.stdout
    assert f"new.hire@example.com in {course.course_id}: pre_enrolled" in enrolled.stdout
    assert CourseEnrollmentAllowed.objects.get().email == "new.hire@example.com"
    assert not CourseEnrollment.objects.exists()
    assert refused.returncode == 1 and "not a course of this site" in refused.stderr
