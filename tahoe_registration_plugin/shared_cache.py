"""
The plugin's one policy for Django's cache, which an LMS's workers share (memcached or Redis).

The shared cache decides nothing about who may do what: API keys are read from the database
(``models/key_copies.py``). It holds the rate limit's counters, and what the platform's and
waffle's code caches. Every use of it goes through ``attempt``: when the cache fails (a server
down, a client that errs or answers nonsense), the caller goes on with what is correct without
it — the database, or no caching — and the failure is logged as a warning. The rate limit alone
has nothing correct to fall back on: it lets requests through, loudly (ADR 0007).
"""
from tahoe_registration_plugin.logs import get_logger

log = get_logger(__name__)


class Unavailable:
    """What ``attempt`` returns when the cache failed (falsy, and never a value the cache holds)."""

    def __bool__(self):
        return False

    def __repr__(self):
        return "UNAVAILABLE"


UNAVAILABLE = Unavailable()


def attempt(operation, *args, **kwargs):
    """``operation(*args, **kwargs)`` on the cache, or ``UNAVAILABLE`` when it raised (logged, not raised)."""
    try:
        return operation(*args, **kwargs)
    except Exception:  # pylint: disable=broad-except
        # Each client raises its own: pymemcache's socket errors, django-redis' ConnectionInterrupted...
        log.warning("The shared cache is unavailable (%s); going on without it.", operation.__name__, exc_info=True)
        return UNAVAILABLE
