"""The example client, run as a person would run it, against a live server."""
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site

from tahoe_registration_plugin.standalone.models import CourseEnrollment
from tests.factories import ApiKeyFactory, CourseFactory
from tests.live import PROJECT, free_port, live_server

EXAMPLE = PROJECT / "examples" / "register_user.py"


@pytest.mark.parametrize("arguments", [[], ["--version", "v2", "--no-password"]])
@pytest.mark.django_db(transaction=True)
def test_the_example_registers_a_learner(arguments):
    # A request to 127.0.0.1 is for the SITE_ID site, as in the LMS.
    api_key = ApiKeyFactory(site=Site.objects.get(pk=settings.SITE_ID))
    with live_server() as url:
        result = subprocess.run(
            [sys.executable, str(EXAMPLE), "--host", url, *arguments],
            env={**os.environ, "TAHOE_API_USER_KEY": api_key.secret},
            capture_output=True, text=True, timeout=60, check=False,
        )

    assert result.returncode == 0, result.stdout + result.stderr
    user = get_user_model().objects.get()
    assert f"'user_id': {user.pk}" in result.stdout
    assert user.username.startswith("learner-")
    assert not user.is_active  # an activation or set-password email went out
    assert api_key.secret not in result.stdout


@pytest.mark.django_db(transaction=True)
def test_the_example_registers_and_enrolls_with_enroll():
    api_key = ApiKeyFactory(site=Site.objects.get(pk=settings.SITE_ID))
    course = CourseFactory()
    with live_server() as url:
        result = subprocess.run(
            [sys.executable, str(EXAMPLE), "--host", url, "--enroll", str(course.course_id)],
            env={**os.environ, "TAHOE_API_USER_KEY": api_key.secret},
            capture_output=True, text=True, timeout=60, check=False,
        )

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"'course_id': '{course.course_id}'" in result.stdout
    assert CourseEnrollment.objects.get().user == get_user_model().objects.get()


@pytest.mark.django_db
def test_the_example_refuses_to_run_without_a_key():
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), "--host", "http://127.0.0.1:9"],
        env={key: value for key, value in os.environ.items() if key != "TAHOE_API_USER_KEY"},
        capture_output=True, text=True, timeout=60, check=False,
    )

    assert result.returncode == 2
    assert "no API key" in result.stderr


def test_the_example_says_when_the_server_cannot_be_reached():
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), "--host", f"http://127.0.0.1:{free_port()}", "--key", "any"],
        capture_output=True, text=True, timeout=60, check=False,
    )

    assert result.returncode == 2
    assert "could not reach" in result.stderr and "is the server running?" in result.stderr
    assert "Traceback" not in result.stderr
