"""
``models/key_copies``: a worker's copies of keys, each kept ``COPY_SECONDS`` at most, at most
``MAX_COPIES`` of them, and never one read before a change this process saw.
"""
import time
from unittest import mock

from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tahoe_registration_plugin.models import ApiKey
from tahoe_registration_plugin.models.key_copies import COPY_SECONDS, KeyCopies, copies

MONOTONIC = "tahoe_registration_plugin.models.key_copies.time.monotonic"


class Key:  # pylint: disable=too-few-public-methods
    """What a copy is kept of: anything with a ``last_used_at``."""

    def __init__(self, name):
        self.name, self.last_used_at = name, None


def test_a_copy_is_fresh_for_copy_seconds_then_gone():
    kept = KeyCopies()
    with mock.patch(MONOTONIC, return_value=100.0):
        kept.keep("hash", Key("a"), read_at=100.0, generation=kept.generation)
    with mock.patch(MONOTONIC, return_value=100.0 + COPY_SECONDS - 0.01):
        assert kept.get("hash").name == "a"
    with mock.patch(MONOTONIC, return_value=100.0 + COPY_SECONDS):
        assert kept.get("hash") is None
    assert kept.get("hash") is None


def test_each_get_is_a_copy_of_its_own():
    kept = KeyCopies()
    kept.keep("hash", Key("a"), read_at=time.monotonic(), generation=kept.generation)

    first = kept.get("hash")
    first.name = "changed by one request"

    assert kept.get("hash").name == "a"


def test_the_least_recently_used_copy_goes_first_beyond_max_copies():
    kept = KeyCopies()
    now = time.monotonic()
    with mock.patch("tahoe_registration_plugin.models.key_copies.MAX_COPIES", 2):
        kept.keep("one", Key("1"), read_at=now, generation=kept.generation)
        kept.keep("two", Key("2"), read_at=now, generation=kept.generation)
        kept.get("one")  # used: "two" is now the least recently used
        kept.keep("three", Key("3"), read_at=now, generation=kept.generation)

    assert (kept.get("one").name, kept.get("two"), kept.get("three").name) == ("1", None, "3")


def test_forget_and_clear_drop_copies_and_refuse_what_was_read_before():
    kept = KeyCopies()
    now = time.monotonic()
    before = kept.generation
    kept.keep("one", Key("1"), read_at=now, generation=before)
    kept.forget(["one"])
    kept.keep("two", Key("2"), read_at=now, generation=before)  # read before the change: not kept

    assert kept.get("one") is None and kept.get("two") is None
    kept.keep("two", Key("2"), read_at=now, generation=kept.generation)
    kept.clear()
    assert kept.get("two") is None


def test_a_noted_use_is_in_the_copy():
    kept = KeyCopies()
    kept.keep("hash", Key("a"), read_at=time.monotonic(), generation=kept.generation)

    kept.note_use("hash", "now")
    kept.note_use("unknown", "now")

    assert kept.get("hash").last_used_at == "now"


# --- through authentication ---------------------------------------------------------------------


def test_a_key_is_read_from_the_workers_copy_after_its_first_use(api_key):
    ApiKey.objects.get_for_authentication(api_key.secret)

    with CaptureQueriesContext(connection) as queries:
        found = ApiKey.objects.get_for_authentication(api_key.secret)

    assert (found.pk, found.site_id, found.prefix, found.is_revoked) == (api_key.pk, api_key.site_id, api_key.prefix,
                                                                         False)
    assert not queries.captured_queries


def test_a_copy_read_before_a_change_is_not_kept_after_it(api_key):
    generation = copies.generation  # a request misses its copy and reads the key...
    stale = ApiKey.objects.get_by_secret(api_key.secret)
    ApiKey.objects.filter(pk=api_key.pk).revoke()  # ...the key is revoked meanwhile...
    copies.keep(api_key.key_hash, stale, read_at=0, generation=generation)  # ...and the request keeps what it read.

    assert ApiKey.objects.get_for_authentication(api_key.secret).is_revoked


def test_a_key_changed_where_this_worker_cannot_see_it_is_read_again_within_the_bound(api_key):
    ApiKey.objects.get_for_authentication(api_key.secret)
    # Another worker process revokes it: nothing tells this one.
    models.QuerySet.update(ApiKey.objects.filter(pk=api_key.pk), revoked_at=timezone.now())

    assert not ApiKey.objects.get_for_authentication(api_key.secret).is_revoked  # its copy, still fresh
    later = time.monotonic() + COPY_SECONDS
    with mock.patch("tahoe_registration_plugin.models.key_copies.time.monotonic", return_value=later):
        assert ApiKey.objects.get_for_authentication(api_key.secret).is_revoked
