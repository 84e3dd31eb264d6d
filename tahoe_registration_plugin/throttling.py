"""Rate limit per API key, counted in Django's cache so every worker process shares it."""
from rest_framework.throttling import SimpleRateThrottle

from tahoe_registration_plugin import site_settings


class ApiKeyRateThrottle(SimpleRateThrottle):
    """``TAHOE_REGISTRATION_RATE`` requests per key (default 60 a minute), settable per site."""

    scope = "tahoe_registration"

    def __init__(self):  # pylint: disable=super-init-not-called
        # The rate depends on the request's site, so it is read in allow_request, not here.
        pass

    def allow_request(self, request, view):
        self.rate = site_settings.for_site(view.site).rate
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
