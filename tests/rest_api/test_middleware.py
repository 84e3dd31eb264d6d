"""Every answer under /tahoe/api/ is JSON, even one made outside the plugin's views; a 503 says when to retry."""
from unittest import mock

import pytest
from django.db import OperationalError
from rest_framework.test import APIClient
from waffle.testutils import override_switch

from tahoe_registration_plugin import toggles
from tahoe_registration_plugin.models import RegistrationRecord
from tests.conftest import LMS_HOST


@pytest.fixture
def browser():
    """A client that gets the answer a real caller gets, instead of the server's exception."""
    return APIClient(raise_request_exception=False)


@pytest.mark.parametrize("path", ["/tahoe/api/nope/", "/tahoe/api/v3/registrations/", "/tahoe/api/v2/"])
@pytest.mark.usefixtures("site")
def test_an_unknown_path_under_the_api_is_a_json_404(browser, path):
    response = browser.post(path, {}, format="json", HTTP_HOST=LMS_HOST)

    assert response.status_code == 404
    assert response.json() == {"user_message": "Not Found"}


@pytest.mark.usefixtures("site")
def test_other_paths_keep_their_own_answers(browser):
    response = browser.get("/nope/", HTTP_HOST=LMS_HOST)

    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


def test_a_database_down_before_the_view_is_a_json_503_with_retry_after(browser, api_key, learner):
    with mock.patch("tahoe_registration_plugin.standalone.middleware.get_site_for_request",
                    side_effect=OperationalError("can't connect to MySQL server")):
        response = browser.post("/tahoe/api/v2/registrations/", learner, format="json", HTTP_HOST=LMS_HOST,
                                HTTP_AUTHORIZATION=f"Token {api_key.secret}")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "user_message": "The registration could not be completed and nothing was created. Try again later."
    }


def test_a_database_error_in_the_view_is_a_503_with_retry_after(caller, learner):
    with mock.patch.object(RegistrationRecord.objects, "record", side_effect=OperationalError("gone away")):
        response = caller.post(learner, version="v2")

    assert (response.status_code, response["Retry-After"]) == (503, "30")


@override_switch(toggles.API_DISABLED, active=True)
def test_the_api_switched_off_says_when_to_retry(caller, learner):
    response = caller.post(learner, version="v2")

    assert (response.status_code, response["Retry-After"]) == (503, "30")
