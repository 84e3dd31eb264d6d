"""``request.site`` from the host, as the LMS sets it (its sites are patched to match the host first)."""

from django.core.cache import cache

from tahoe_registration_plugin.shared_cache import attempt
from tahoe_registration_plugin.sites import get_site_for_request

# As the LMS caches each host's site (edx-django-sites-extensions' SITE_CACHE_TTL), for less long.
SITE_CACHE_SECONDS = 60


class CurrentSiteFromHostMiddleware:
    """Stands in for the LMS's ``CurrentSiteMiddleware`` + edx-django-sites-extensions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.site = self._site(request)
        return self.get_response(request)

    @staticmethod
    def _site(request):
        key = f"tahoe_registration_standalone:site:{request.get_host().lower()}"
        site = attempt(cache.get, key)
        if not site:
            site = get_site_for_request(request)
            # Read with the site and cached along with it, as the LMS caches a site's configuration.
            getattr(site, "configuration", None)
            attempt(cache.set, key, site, SITE_CACHE_SECONDS)
        return site
