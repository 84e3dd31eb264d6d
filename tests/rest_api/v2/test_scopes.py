"""Scopes (CONTRACT §8): a call outside a key's scopes is a 403 naming the scope, and changes nothing."""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tahoe_registration_plugin.models import ApiKey
from tahoe_registration_plugin.standalone.models import CourseEnrollment
from tests.conftest import Caller
from tests.factories import ApiKeyFactory
from tests.rest_api.v2.conftest import INTRO, register

User = get_user_model()
pytestmark = pytest.mark.usefixtures("courses")


@pytest.fixture
def callers(client, site, platform):  # pylint: disable=unused-argument
    """A caller per set of scopes."""
    return lambda *scopes: Caller(client, ApiKeyFactory(site=site, scopes=scopes).secret)


@pytest.mark.parametrize("scopes, call, required", [
    (("enroll", "read"), lambda c: c.post({"username": "alex", "email": "a@example.com", "name": "A"}), "register"),
    (("enroll", "read"), lambda c: c.post({"username": "alex", "email": "a@example.com", "name": "A"},
                                          version="v2"), "register"),
    (("register",), lambda c: c.post({"username": "alex", "email": "a@example.com", "name": "A",
                                      "enrollments": [{"course_id": INTRO}]}, version="v2"), "enroll"),
    (("register", "read"), lambda c: c.enroll({"action": "enroll", "courses": [INTRO], "learners": ["x@y.org"]}),
     "enroll"),
    (("register", "enroll"), lambda c: c.get("users"), "read"),
    (("register", "enroll"), lambda c: c.get("courses"), "read"),
    (("register", "enroll"), lambda c: c.get("enrollments"), "read"),
])
def test_a_call_outside_the_keys_scopes_is_a_403_naming_the_scope(callers, scopes, call, required):
    response = call(callers(*scopes))

    assert response.status_code == 403, response.content
    assert response.json()["required_scope"] == required
    assert response.json()["user_message"]
    assert not User.objects.exists() and not CourseEnrollment.objects.exists()


def test_a_key_with_the_scopes_may_make_each_call(callers):
    caller = callers("register", "enroll", "read")
    register(caller, "alex")

    assert caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["alex"]}).status_code == 200
    assert [caller.get(path).status_code for path in ("users", "courses", "enrollments")] == [200, 200, 200]


def test_a_new_key_may_register_only_unless_told_otherwise(site):
    default, _secret = ApiKey.objects.create_key(site=site, name="CRM")
    chosen, _secret = ApiKey.objects.create_key(site=site, name="Shop", scopes=["read", "enroll"])

    assert default.scope_names == ("register",)
    assert chosen.scope_names == ("enroll", "read")
    with pytest.raises(ValueError, match="Unknown scope"):
        ApiKey.objects.create_key(site=site, name="Typo", scopes=["admin"])


def test_rotating_a_key_keeps_its_scopes(site):
    api_key = ApiKeyFactory(site=site, scopes=["read"])

    replacement, _secret = api_key.rotate(grace=datetime.timedelta(days=1))

    assert replacement.scope_names == ("read",)


@pytest.mark.usefixtures("platform")
def test_changing_scopes_keeps_the_secret_and_takes_effect_at_once(client, site):
    api_key = ApiKeyFactory(site=site, scopes=["register"])
    caller = Caller(client, api_key.secret)
    assert caller.get("courses").status_code == 403

    api_key.scopes = "register,read"
    api_key.save()

    assert caller.get("courses").status_code == 200


def test_the_commands_create_and_list_keys_with_their_scopes(site, capsys):
    call_command("tahoe_create_api_key", "--site", site.domain, "--name", "Shop", "--scopes", "enroll,read")
    call_command("tahoe_list_api_keys")

    assert ApiKey.objects.get(name="Shop").scope_names == ("enroll", "read")
    listing = capsys.readouterr().out.splitlines()
    assert "scopes" in listing[-2] and "enroll,read" in listing[-1]
