"""
API keys as authentication reads them: each worker process keeps its own copy of a key for at
most ``COPY_SECONDS``, so the usual request makes no query for its key, and a key revoked,
expired, rotated out or deleted anywhere is refused by every worker within that time (ADR 0011).

Nothing about keys is read from the shared cache (memcached or Redis): what it holds may be older
than the database by any amount (a change made while it could not be reached, a server restored
from an older snapshot), and whoever can write to it could plant an entry. A change made through
the ORM in this process is forgotten here at once.
"""
import copy
import threading
import time
from collections import OrderedDict

# How long a worker answers from its copy before reading the key again: the bound on how long a
# change made elsewhere takes to reach it.
COPY_SECONDS = 5
# Copies kept per process, the least recently used dropped first.
MAX_COPIES = 1024


class KeyCopies:
    """A process's copies of keys by the hash of their secret, each for ``COPY_SECONDS``."""

    def __init__(self):
        self._copies = OrderedDict()
        self._lock = threading.Lock()
        # Counts the changes seen here: a copy read from the database before one is not kept.
        self.generation = 0

    def get(self, key_hash):
        """A copy of the key (for this request alone to use), or None when there is none that is fresh."""
        with self._lock:
            entry = self._copies.get(key_hash)
            if entry is None:
                return None
            api_key, read_at = entry
            if time.monotonic() - read_at >= COPY_SECONDS:
                del self._copies[key_hash]
                return None
            self._copies.move_to_end(key_hash)
            return copy.copy(api_key)

    def keep(self, key_hash, api_key, *, read_at, generation):
        """Keep ``api_key``, read from the database at ``read_at``, unless a change was seen since ``generation``."""
        with self._lock:
            if generation != self.generation:
                return
            self._copies[key_hash] = (copy.copy(api_key), read_at)
            self._copies.move_to_end(key_hash)
            while len(self._copies) > MAX_COPIES:
                self._copies.popitem(last=False)

    def forget(self, key_hashes):
        """These keys changed: read them from the database next time."""
        with self._lock:
            self.generation += 1
            for key_hash in key_hashes:
                self._copies.pop(key_hash, None)

    def note_use(self, key_hash, when):
        """The key's ``last_used_at`` was written: its copy says so, so that it is not written again soon."""
        with self._lock:
            entry = self._copies.get(key_hash)
            if entry is not None:
                entry[0].last_used_at = when

    def clear(self):
        with self._lock:
            self.generation += 1
            self._copies.clear()


copies = KeyCopies()
