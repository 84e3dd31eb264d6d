"""
The plugin's settings as one site sees them: its site configuration first, then Django's settings.

The site configuration is read here, not through the platform backend, so the rate limit and v1's
headers keep working even when the platform cannot be loaded.
"""
from functools import partial

from tahoe_registration_plugin.conf import settings


def site_value(site, name, default):
    """
    ``name`` as ``site``'s configuration sets it, else ``default``.

    In an LMS, ``site.configuration`` is the site's ``SiteConfiguration``, whose ``get_value``
    answers only while it is enabled; the standalone project has a model of the same shape. A site
    without one (``RelatedObjectDoesNotExist`` is an ``AttributeError``) uses the default.
    """
    configuration = getattr(site, "configuration", None)
    if configuration is None:
        return default
    return configuration.get_value(name, default)


def for_site(site):
    """``conf.settings`` with the overridable settings read from ``site``'s configuration first."""
    if site is None:
        return settings
    return settings.with_site_values(partial(site_value, site))
