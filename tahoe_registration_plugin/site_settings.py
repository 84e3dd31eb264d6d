"""The plugin's settings as one site sees them: its site configuration first, then Django's settings."""
from functools import partial

from tahoe_registration_plugin.backends import get_platform_backend
from tahoe_registration_plugin.conf import settings


def for_site(site):
    """``conf.settings`` with the overridable settings read from ``site``'s configuration first."""
    if site is None:
        return settings
    return settings.with_site_values(partial(get_platform_backend().get_site_value, site))
