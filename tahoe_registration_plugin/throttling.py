"""Rate limit per API key, counted in Django's cache so every worker process shares it."""
from rest_framework.throttling import SimpleRateThrottle

from tahoe_registration_plugin.conf import settings


class ApiKeyRateThrottle(SimpleRateThrottle):
    """``TAHOE_REGISTRATION_RATE`` requests per key (default 60 a minute)."""

    scope = "tahoe_registration"

    def get_rate(self):
        return settings.rate

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
