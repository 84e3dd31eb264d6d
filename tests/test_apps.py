"""The plugin is wired into an LMS by edx-django-utils itself: its app and its URLs."""
from django.urls import URLResolver, reverse
from edx_django_utils.plugins import get_plugin_apps, get_plugin_url_patterns


def test_the_lms_installs_the_app_from_its_entry_point():
    assert "tahoe_registration_plugin.apps.TahoeRegistrationConfig" in get_plugin_apps("lms.djangoapp")


def test_the_lms_mounts_the_api_under_tahoe_api():
    patterns = [p for p in get_plugin_url_patterns("lms.djangoapp") if p.namespace == "tahoe_registration"]
    assert len(patterns) == 1
    assert isinstance(patterns[0], URLResolver)
    assert patterns[0].pattern.regex.pattern == r"^tahoe/api/"
    assert reverse("tahoe_registration:v1:registrations") == "/tahoe/api/v1/registrations/"
    assert reverse("tahoe_registration:v2:registrations") == "/tahoe/api/v2/registrations/"
