"""The plugin's settings: applied to an LMS's settings by its plugin hook, read lazily, set per site."""
import sys
import types

import pytest
from django.test import override_settings
from edx_django_utils.plugins import add_plugins

from tahoe_registration_plugin.conf import DEFAULTS, RegistrationSettings, api_settings
from tests.conftest import OTHER_HOST, Caller
from tests.factories import ApiKeyFactory, SiteConfigurationFactory


def _settings_module(name, **values):
    module = types.ModuleType(name)
    module.__dict__.update(values)
    sys.modules[name] = module
    return module


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


def test_add_plugins_applies_the_defaults_to_a_settings_module():
    module = _settings_module("fake_lms_common_settings")
    try:
        add_plugins("fake_lms_common_settings", "lms.djangoapp", "common")
    finally:
        del sys.modules["fake_lms_common_settings"]
    for name, default in DEFAULTS.items():
        assert getattr(module, name) == default
    # In an LMS, registrations go through the platform's own pipeline.
    backend = vars(module)["TAHOE_REGISTRATION_PLATFORM_BACKEND"]
    assert backend == "tahoe_registration_plugin.backends.openedx.OpenedxBackend"


def test_production_settings_keep_what_the_operator_set():
    module = _settings_module("fake_lms_production_settings", TAHOE_REGISTRATION_RATE="5/minute")
    try:
        add_plugins("fake_lms_production_settings", "lms.djangoapp", "production")
    finally:
        del sys.modules["fake_lms_production_settings"]
    assert vars(module)["TAHOE_REGISTRATION_RATE"] == "5/minute"
    assert vars(module)["TAHOE_REGISTRATION_MAX_BODY_BYTES"] == DEFAULTS["TAHOE_REGISTRATION_MAX_BODY_BYTES"]


def test_no_setting_other_apps_read_is_changed():
    unset = _settings_module("fake_lms_unset_settings", EMAIL_TIMEOUT=None, MIDDLEWARE=["a.Middleware"])
    try:
        add_plugins("fake_lms_unset_settings", "lms.djangoapp", "common")
    finally:
        del sys.modules["fake_lms_unset_settings"]
    changed = {name for name in vars(unset) if not name.startswith(("__", "TAHOE_REGISTRATION_"))}
    assert changed == {"EMAIL_TIMEOUT", "MIDDLEWARE"}
    assert vars(unset)["EMAIL_TIMEOUT"] is None
    assert vars(unset)["MIDDLEWARE"] == [
        "tahoe_registration_plugin.rest_api.middleware.JsonErrorsUnderApiMiddleware", "a.Middleware",
    ]


def test_settings_are_read_when_used_not_at_import():
    assert api_settings.rate == "60/minute"
    with override_settings(TAHOE_REGISTRATION_RATE="7/hour", TAHOE_REGISTRATION_V1_SUNSET_DATE="2030-01-31"):
        assert api_settings.rate == "7/hour"
        assert api_settings.v1_sunset_date.isoformat() == "2030-01-31T00:00:00+00:00"
    assert api_settings.v1_sunset_date is None


def test_each_settings_annotation_names_it_and_its_default():
    for name, setting in RegistrationSettings.declared().items():
        lines = [line.strip() for line in setting.__doc__.splitlines()]
        default = f'"{setting.default}"' if isinstance(setting.default, str) else str(setting.default)
        assert f".. setting_name: {name}" in lines
        assert f".. setting_default: {default}" in lines
        assert any(line.startswith(".. setting_description: ") for line in lines)
