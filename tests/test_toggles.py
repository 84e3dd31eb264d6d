"""The operator's switches: created off by the migration, and each turns its part of the API off."""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from waffle.models import Switch
from waffle.testutils import override_switch

from tahoe_registration_plugin import toggles
from tests.conftest import Caller

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
