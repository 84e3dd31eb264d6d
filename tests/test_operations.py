"""Contract sections 5 and 6 for operators: switches, per-site settings, monitoring and logs."""
import logging
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from waffle.models import Switch
from waffle.testutils import override_switch

from tahoe_registration_plugin import toggles
from tests.conftest import OTHER_HOST, Caller
from tests.factories import ApiKeyFactory, SiteConfigurationFactory

User = get_user_model()
V2_URL = "http://lms.example.com/tahoe/api/v2/registrations/"


@pytest.mark.django_db(transaction=True)
def test_the_switches_exist_after_migrating_and_are_off():
    call_command("migrate", "tahoe_registration_plugin", "zero", verbosity=0)
    assert not Switch.objects.filter(name__in=[toggles.API_DISABLED, toggles.V1_DISABLED]).exists()

    call_command("migrate", "tahoe_registration_plugin", verbosity=0)

    switches = dict(Switch.objects.filter(name__startswith="tahoe_registration.").values_list("name", "active"))
    assert switches == {toggles.API_DISABLED: False, toggles.V1_DISABLED: False}


@override_switch(toggles.API_DISABLED, active=True)
@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.parametrize("secret", ["valid", "wrong"])
def test_the_api_switch_answers_503_on_every_version(client, api_key, learner, version, secret):
    caller = Caller(client, api_key.secret if secret == "valid" else "wrong")

    response = caller.post(learner, version=version)

    assert response.status_code == 503
    assert response.json() == {"user_message": "The registration API is turned off on this site."}
    assert response.has_header("Deprecation") == (version == "v1")
    assert not User.objects.exists()


@override_switch(toggles.V1_DISABLED, active=True)
def test_the_v1_switch_answers_410_pointing_to_v2_and_leaves_v2_alone(caller, learner):
    gone = caller.post(learner)
    created = caller.post(learner, version="v2")

    assert gone.status_code == 410
    assert gone.json() == {"user_message": f"Version 1 of this API has been retired: use {V2_URL} instead."}
    assert gone["Deprecation"] == "@1625097600"
    assert gone["Link"] == f'<{V2_URL}>; rel="successor-version"'
    assert created.status_code == 200
    assert User.objects.count() == 1


def test_the_successor_path_is_a_setting(caller, learner, settings):
    settings.TAHOE_REGISTRATION_V1_SUCCESSOR_PATH = "/api/registrations/v2/"

    response = caller.post(learner)

    assert response["Link"] == '<http://lms.example.com/api/registrations/v2/>; rel="successor-version"'


@pytest.mark.parametrize("platform", ["standalone", "openedx"], indirect=True)
@pytest.mark.usefixtures("platform")
def test_v1_dates_and_the_rate_can_differ_per_site(client, site, other_site, learner):
    SiteConfigurationFactory(site=other_site, site_values={
        "TAHOE_REGISTRATION_V1_SUNSET_DATE": "2027-06-30", "TAHOE_REGISTRATION_RATE": "1/minute",
    })
    here = Caller(client, ApiKeyFactory(site=site).secret)
    there = Caller(client, ApiKeyFactory(site=other_site).secret, host=OTHER_HOST)

    first_there = there.post(learner)
    second_there = there.post({**learner, "username": "other", "email": "other@example.com"})
    first_here = here.post({**learner, "username": "here1", "email": "here1@example.com"})
    second_here = here.post({**learner, "username": "here2", "email": "here2@example.com"})

    assert first_there["Sunset"] == "Wed, 30 Jun 2027 00:00:00 GMT"
    assert not first_here.has_header("Sunset")
    assert [first_there.status_code, second_there.status_code] == [200, 429]
    assert [first_here.status_code, second_here.status_code] == [200, 200]


@pytest.fixture
def attributes():
    recorded = {}
    with mock.patch(
        "tahoe_registration_plugin.rest_api.monitoring.set_custom_attribute",
        side_effect=recorded.__setitem__,
    ):
        yield recorded


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_each_request_sets_monitoring_attributes(caller, api_key, learner, attributes, version):
    caller.post(learner, version=version)

    assert attributes == {
        "tahoe_registration.api_version": version,
        "tahoe_registration.site": "lms.example.com",
        "tahoe_registration.key_prefix": api_key.prefix,
        "tahoe_registration.outcome": "created",
        "tahoe_registration.status": 200,
    }


def test_every_request_the_rate_limit_cannot_count_is_logged_and_reported(caller, learner, attributes, caplog):
    def unavailable(*args, **kwargs):
        raise ConnectionRefusedError("cache server down")

    with mock.patch.object(cache, "add", unavailable), mock.patch.object(cache, "incr", unavailable):
        first = caller.post(learner)
        second = caller.post({**learner, "username": "other", "email": "other@example.com"})

    assert first.status_code == second.status_code == 200
    assert attributes["tahoe_registration.rate_limit"] == "unavailable"
    assert caplog.text.count("Rate limit not applied: the cache is unavailable.") == 2


@pytest.mark.usefixtures("site")
def test_a_refused_request_is_recorded_without_a_key(client, learner, attributes):
    Caller(client, "wrong").post(learner)

    assert attributes["tahoe_registration.outcome"] == "unauthenticated"
    assert attributes["tahoe_registration.key_prefix"] == ""
    assert attributes["tahoe_registration.api_version"] == "v1"


def test_one_log_line_per_request_without_personal_data_or_secrets(caller, api_key, learner, caplog):
    with caplog.at_level(logging.INFO, logger="tahoe_registration_plugin"):
        caller.post({**learner, "password": "correct-horse-battery"})
        caller.post({**learner, "password": "correct-horse-battery"})

    messages = [record.getMessage() for record in caplog.records]
    lines = [message for message in messages if message.startswith("tahoe_registration_request")]
    user_id = User.objects.get().pk
    assert lines == [
        f"tahoe_registration_request api_version=v1 site=lms.example.com key_prefix={api_key.prefix} "
        f"outcome=created status=200 user_id={user_id}",
        f"tahoe_registration_request api_version=v1 site=lms.example.com key_prefix={api_key.prefix} "
        "outcome=conflict status=409 user_id=",
    ]
    for forbidden in ("alex.userton@example.com", "correct-horse-battery", api_key.secret):
        assert forbidden not in caplog.text
