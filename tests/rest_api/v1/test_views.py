"""v1's view: every answer, errors included, points to v2; v2 carries none of it."""
import pytest

from tests.conftest import Caller

DEPRECATION = "@1625097600"  # 2021-07-01T00:00:00Z, the default deprecation date
LINK = '<http://lms.example.com/tahoe/api/v2/registrations/>; rel="successor-version"'


def v1_answers(client, api_key, learner):
    caller = Caller(client, api_key.secret)
    yield "200", caller.post(learner)
    yield "409", caller.post(learner)
    yield "400", caller.post({"username": "x"})
    yield "401", Caller(client, "wrong").post(learner)
    yield "405", client.get("/tahoe/api/v1/registrations/", HTTP_HOST="lms.example.com")
    yield "415", client.post(
        "/tahoe/api/v1/registrations/", "x", content_type="text/plain",
        HTTP_HOST="lms.example.com", HTTP_AUTHORIZATION=f"Token {api_key.secret}",
    )


def test_every_v1_answer_carries_deprecation_and_link(client, api_key, learner):
    answers = dict(v1_answers(client, api_key, learner))

    assert {name: response.status_code for name, response in answers.items()} == {
        "200": 200, "409": 409, "400": 400, "401": 401, "405": 405, "415": 415,
    }
    for response in answers.values():
        assert response["Deprecation"] == DEPRECATION
        assert response["Link"] == LINK
        assert not response.has_header("Sunset")


def test_the_link_follows_the_requests_host_and_scheme(client, api_key, learner):
    response = Caller(client, api_key.secret, host="LMS.example.com:8443").post(learner, secure=True)

    assert response["Link"] == '<https://LMS.example.com:8443/tahoe/api/v2/registrations/>; rel="successor-version"'


@pytest.mark.parametrize("configured, sent", [
    ("2027-06-30", "Wed, 30 Jun 2027 00:00:00 GMT"),
    ("2027-06-30T12:30:00+02:00", "Wed, 30 Jun 2027 10:30:00 GMT"),
])
def test_sunset_and_deprecation_dates_come_from_settings(caller, learner, settings, configured, sent):
    settings.TAHOE_REGISTRATION_V1_SUNSET_DATE = configured
    settings.TAHOE_REGISTRATION_V1_DEPRECATION_DATE = "2026-01-01"

    response = caller.post(learner)

    assert response["Sunset"] == sent
    assert response["Deprecation"] == "@1767225600"


def test_v2_carries_no_deprecation_headers(caller, learner, settings):
    settings.TAHOE_REGISTRATION_V1_SUNSET_DATE = "2027-06-30"

    for response in (caller.post(learner, version="v2"), caller.post({}, version="v2")):
        for header in ("Deprecation", "Link", "Sunset"):
            assert not response.has_header(header)
