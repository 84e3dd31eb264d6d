"""
The plugin's settings as one site sees them: its site configuration first, then Django's settings.

The site configuration is read here, not through the platform backend, so the rate limit and v1's
headers keep working even when the platform cannot be loaded.
"""
from functools import partial

from django.core.exceptions import FieldDoesNotExist

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


def course_orgs(site):
    """
    The course organizations ``site``'s keys may enroll learners in, or None for "any organization
    no other site claims".

    As the LMS scopes a site's catalog: a site's ``course_org_filter`` (one organization or a list)
    names its organizations; a site without one (the main site) has the courses whose organization
    no other site's ``course_org_filter`` names.
    """
    orgs = site_value(site, "course_org_filter", None)
    if orgs:
        return {orgs} if isinstance(orgs, str) else set(orgs)
    return None


def orgs_claimed_by_other_sites(site):
    """The organizations other sites' enabled configurations name in their ``course_org_filter``."""
    try:
        configuration_model = site._meta.get_field("configuration").related_model
    except FieldDoesNotExist:
        return set()
    claimed = set()
    others = configuration_model.objects.filter(enabled=True).exclude(site=site)
    for values in others.values_list("site_values", flat=True):
        orgs = (values or {}).get("course_org_filter") or []
        claimed.update([orgs] if isinstance(orgs, str) else orgs)
    return claimed
