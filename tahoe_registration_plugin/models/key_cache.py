"""
API keys as authentication reads them: copies in Django's cache, which every worker of an LMS
shares (memcached or Redis), so the usual request makes no database query for its key.

After a change, a "changed" marker takes the copy's place for ``CHANGED_MARKER_SECONDS``: every
worker then reads the key from the database at once, and no request that read the key before the
change can put its old copy back (``remember`` adds, it never replaces the marker). A cache that
cannot be reached sends every request to the database.
"""
from django.core.cache import cache

from tahoe_registration_plugin.logs import get_logger

log = get_logger(__name__)

COPY = "tahoe_registration:api_key:{key_hash}"
LAST_WRITTEN_USE = "tahoe_registration:api_key_used:{key_hash}"
# How long a copy is kept, and how long a change keeps every worker reading the database: far
# longer than any request takes between reading a key and remembering it.
COPY_SECONDS = 300
CHANGED_MARKER_SECONDS = 30
CHANGED = "changed"


def read(model, key_hash):
    """
    ``(copy, may_remember)``: the key's current copy (a ``model`` instance) or None, and whether
    one may be added now.
    """
    copy_key, use_key = COPY.format(key_hash=key_hash), LAST_WRITTEN_USE.format(key_hash=key_hash)
    try:
        # One round trip to the cache server for both.
        found = cache.get_many([copy_key, use_key])
    except Exception:  # pylint: disable=broad-except
        return None, False
    cached = found.get(copy_key)
    if cached is None:
        return None, True
    if cached == CHANGED:
        return None, False
    copy = model.from_db(None, list(cached), list(cached.values()))
    copy.last_written_use = found.get(use_key)
    return copy, False


def remember(key_hash, api_key):
    """
    Keep a copy of ``api_key`` unless a change marked it since it was read: its field values, not
    the pickled instance, which another Django release could not read back.
    """
    values = {field.attname: getattr(api_key, field.attname) for field in api_key._meta.concrete_fields}
    try:
        cache.add(COPY.format(key_hash=key_hash), values, COPY_SECONDS)
    except Exception:  # pylint: disable=broad-except
        pass


def forget(key_hashes):
    """Make every worker read these keys from the database again (after a change)."""
    if not key_hashes:
        return
    try:
        cache.set_many({COPY.format(key_hash=key_hash): CHANGED for key_hash in key_hashes}, CHANGED_MARKER_SECONDS)
        cache.delete_many([LAST_WRITTEN_USE.format(key_hash=key_hash) for key_hash in key_hashes])
    except Exception:  # pylint: disable=broad-except
        # Down for this worker, the cache is most likely down for all of them: they read the database.
        log.exception("Could not mark changed API keys in the cache.")


def last_written_use(api_key):
    """When this worker or another last wrote the key's ``last_used_at``, else the key's own value."""
    default = api_key.last_used_at
    if hasattr(api_key, "last_written_use"):  # read with the copy
        return api_key.last_written_use or default
    try:
        return cache.get(LAST_WRITTEN_USE.format(key_hash=api_key.key_hash), default)
    except Exception:  # pylint: disable=broad-except
        return default


def note_written_use(key_hash, when):
    try:
        cache.set(LAST_WRITTEN_USE.format(key_hash=key_hash), when, COPY_SECONDS)
    except Exception:  # pylint: disable=broad-except
        pass
