"""Helpers shared by the API key commands."""
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def site_by_domain(domain):
    """The site with this domain, compared case-insensitively."""
    site = Site.objects.filter(domain__iexact=domain).first()
    if site is None:
        known = ", ".join(Site.objects.values_list("domain", flat=True)) or "none"
        raise CommandError(_("No site with the domain {domain!r} (sites: {known}).").format(domain=domain, known=known))
    return site


def user_by_username(username):
    """The user with this username, or None when no username was given."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("No user {username!r}.").format(username=username))
    return user
