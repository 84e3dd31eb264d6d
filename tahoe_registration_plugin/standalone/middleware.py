"""``request.site`` from the host, as the LMS sets it (its sites are patched to match the host first)."""
from tahoe_registration_plugin.sites import get_site_for_request


class CurrentSiteFromHostMiddleware:
    """Stands in for the LMS's ``CurrentSiteMiddleware`` + edx-django-sites-extensions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.site = get_site_for_request(request)
        return self.get_response(request)
