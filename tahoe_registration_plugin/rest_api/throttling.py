"""
Rate limit per API key, counted in Django's cache so every worker process shares it.

A sliding window: a request is let through while the requests of the current fixed window, plus
those of the previous one weighted by how much of it still lies within the last ``duration``
seconds, stay within the limit. Unlike fixed windows (which let ``2 × limit`` through in a moment
across a boundary), a burst is bounded: in any ``d`` seconds at most ``limit × (1 + d / duration)``
requests are let through. Counters use the cache's atomic ``add``/``incr``, so concurrent requests
on several workers cannot all read the same count and slip through; a refused request is taken
back off the count.

Each window's counter is its own cache entry, named after the window, and expires after the
next one: a cache restarted empty forgets the counts (each key may make up to ``limit`` requests
again at once); one restored from an older snapshot holds only counters of windows past, which
no request reads. If the cache cannot count, the request is let through, logged and reported to
monitoring: an outage of the cache must not take registrations down with it
(docs/decisions/0007-rate-limit-fails-open.rst).
"""
import time

from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from tahoe_registration_plugin.logs import get_logger
from tahoe_registration_plugin.rest_api import monitoring
from tahoe_registration_plugin.shared_cache import attempt

log = get_logger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """``"60/minute"`` -> ``(60, 60)``: requests allowed, and the window in seconds (DRF's notation)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period[0]]


def is_count(value):
    """A counter's value; memcached's client answers ``False`` instead of raising once its server is down."""
    return isinstance(value, int) and not isinstance(value, bool)


class ApiKeyRateThrottle(BaseThrottle):
    """``TAHOE_REGISTRATION_RATE`` requests per key and sliding window (default 60 a minute), settable per site."""

    cache_format = "tahoe_registration:throttle:{key_id}:{window}"

    def __init__(self):
        self.retry_after = None

    def allow_request(self, request, view):
        # DRF throttles after the permission check: ``request.auth`` is the caller's key here.
        limit, duration = parse_rate(view.site_settings.rate)
        now = time.time()
        window, elapsed = divmod(now, duration)
        current_key = self.cache_format.format(key_id=request.auth.pk, window=int(window))
        count = attempt(self._count, current_key, duration)
        previous = attempt(cache.get, self.cache_format.format(key_id=request.auth.pk, window=int(window) - 1), 0)
        if not (is_count(count) and is_count(previous)):
            log.error("Rate limit not applied: the cache is unavailable.")
            monitoring.record_rate_limit_unavailable()
            return True
        weight = 1 - elapsed / duration
        if previous * weight + count <= limit:
            return True
        attempt(cache.decr, current_key)
        self.retry_after = self._seconds_until_allowed(limit, duration, previous, count - 1, elapsed)
        return False

    @staticmethod
    def _count(cache_key, duration):
        """This request's number in its window: incr() counts atomically, whatever the worker."""
        try:
            return cache.incr(cache_key)
        except ValueError:
            # The window's first request (here or in another worker): add() creates the counter once.
            cache.add(cache_key, 0, timeout=2 * duration + 1)
            return cache.incr(cache_key)

    @staticmethod
    def _seconds_until_allowed(limit, duration, previous, count, elapsed):
        """When one more request fits: as the previous window's weight fades, or in the next window."""
        room = limit - 1 - count
        if previous and room >= 0:
            # previous * (1 - t / duration) + count <= limit - 1
            wait = (1 - room / previous) * duration - elapsed
        else:
            # In the next window, this one becomes the previous: count * (1 - t / duration) <= limit - 1
            wait = duration - elapsed + max(0.0, 1 - (limit - 1) / count) * duration if count else duration - elapsed
        return max(1, int(wait + 0.999))

    def wait(self):
        return self.retry_after
