"""
Rate limit per API key, counted in Django's cache so every worker process shares it.

A fixed window per key, counted with the cache's atomic ``add`` and ``incr`` (atomic in memcached
and Redis, the caches LMS deployments use), so concurrent requests on several workers cannot all
read the same count and slip through. If the cache cannot be reached the request is let through,
logged and reported to monitoring: an outage of the cache must not take registrations down with it
(docs/decisions/0007-rate-limit-fails-open.rst).
"""
import time

from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from tahoe_registration_plugin.logs import get_logger
from tahoe_registration_plugin.rest_api import monitoring

log = get_logger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """``"60/minute"`` -> ``(60, 60)``: requests allowed, and the window in seconds (DRF's notation)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period[0]]


class ApiKeyRateThrottle(BaseThrottle):
    """``TAHOE_REGISTRATION_RATE`` requests per key and window (default 60 a minute), settable per site."""

    cache_format = "tahoe_registration:throttle:{key_id}:{window}"

    def __init__(self):
        self.retry_after = None

    def allow_request(self, request, view):
        # DRF throttles after the permission check: ``request.auth`` is the caller's key here.
        limit, duration = parse_rate(view.site_settings.rate)
        now = time.time()
        window = int(now // duration)
        cache_key = self.cache_format.format(key_id=request.auth.pk, window=window)
        try:
            count = self._count(cache_key, duration)
        except Exception:  # pylint: disable=broad-except
            log.exception("Rate limit not applied: the cache is unavailable.")
            monitoring.record_rate_limit_unavailable()
            return True
        if count <= limit:
            return True
        self.retry_after = max(1, int((window + 1) * duration - now + 0.999))
        return False

    @staticmethod
    def _count(cache_key, duration):
        """This request's number in its window: incr() counts atomically, whatever the worker."""
        try:
            return cache.incr(cache_key)
        except ValueError:
            # The window's first request (here or in another worker): add() creates the counter once.
            cache.add(cache_key, 0, timeout=duration + 1)
            return cache.incr(cache_key)

    def wait(self):
        return self.retry_after
