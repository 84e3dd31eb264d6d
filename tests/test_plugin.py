"""The plugin is wired into an LMS by edx-django-utils itself: apps, URLs and settings."""
import sys
import types

from django.test import override_settings
from django.urls import URLResolver, reverse
from edx_django_utils.plugins import add_plugins, get_plugin_apps, get_plugin_url_patterns

from tahoe_registration_plugin.conf import DEFAULTS, settings


def test_the_lms_installs_the_app_from_its_entry_point():
    assert "tahoe_registration_plugin.apps.TahoeRegistrationConfig" in get_plugin_apps("lms.djangoapp")


def test_the_lms_mounts_the_api_under_tahoe_api():
    patterns = [p for p in get_plugin_url_patterns("lms.djangoapp") if p.namespace == "tahoe_registration"]
    assert len(patterns) == 1
    assert isinstance(patterns[0], URLResolver)
    assert patterns[0].pattern.regex.pattern == r"^tahoe/api/"
    assert reverse("tahoe_registration:v1:registrations") == "/tahoe/api/v1/registrations/"
    assert reverse("tahoe_registration:v2:registrations") == "/tahoe/api/v2/registrations/"


def _settings_module(name, **values):
    module = types.ModuleType(name)
    module.__dict__.update(values)
    sys.modules[name] = module
    return module


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


def test_the_mail_server_gets_a_time_limit_only_where_the_operator_set_none():
    unset = _settings_module("fake_lms_unset_settings", EMAIL_TIMEOUT=None)
    chosen = _settings_module("fake_lms_chosen_settings", EMAIL_TIMEOUT=30)
    try:
        add_plugins("fake_lms_unset_settings", "lms.djangoapp", "common")
        add_plugins("fake_lms_chosen_settings", "lms.djangoapp", "common")
    finally:
        del sys.modules["fake_lms_unset_settings"], sys.modules["fake_lms_chosen_settings"]
    assert (vars(unset)["EMAIL_TIMEOUT"], vars(chosen)["EMAIL_TIMEOUT"]) == (5, 30)


def test_settings_are_read_when_used_not_at_import():
    assert settings.rate == "60/minute"
    with override_settings(TAHOE_REGISTRATION_RATE="7/hour", TAHOE_REGISTRATION_V1_SUNSET_DATE="2030-01-31"):
        assert settings.rate == "7/hour"
        assert settings.v1_sunset_date.isoformat() == "2030-01-31T00:00:00+00:00"
    assert settings.v1_sunset_date is None
