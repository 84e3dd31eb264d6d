"""
Several LMS worker processes share one rate limit through a real cache server (memcached, and
Redis through django-redis as Tutor sets it up), and a dead cache server does not make the API fail.

Needs ``.ci/services start`` (memcached on ``TEST_CACHE_LOCATION``, Redis on ``TEST_REDIS_LOCATION``);
run by ``make test-services``.
"""
import uuid
from collections import Counter
from contextlib import ExitStack

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import LMS_HOST
from tests.live import cache_server as own_cache_server
from tests.live import free_port, post_at_once, worker

# Other processes read the keys and sites each test writes: they must be committed.
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
User = get_user_model()
PATH = "/tahoe/api/v2/registrations/"


def dead_cache_server(location):
    """The same kind of cache, on a port where nothing listens."""
    port = free_port()
    return f"redis://127.0.0.1:{port}/1" if location.startswith("redis://") else f"127.0.0.1:{port}"


def test_two_workers_share_one_rate_limit_through_the_cache_server(cache_server, api_key):
    prefix = uuid.uuid4().hex
    with ExitStack() as stack:
        # A day-long window, so that the burst cannot straddle two windows.
        urls = [stack.enter_context(worker(cache_server, prefix, "10/day")) for _ in range(2)]
        results = []
        for url in urls:  # 15 requests on each worker, at once
            results += post_at_once(url, PATH, [
                {"username": f"u{len(results)}x{n}", "email": f"u{len(results)}x{n}@example.com", "name": "N"}
                for n in range(15)
            ], LMS_HOST, api_key.secret)

    statuses = Counter(status for status, _body in results)
    assert statuses == {200: 10, 429: 20}, statuses
    assert User.objects.count() == 10


def test_a_dead_cache_server_does_not_stop_registrations(cache_server, api_key, learner):
    with worker(dead_cache_server(cache_server), uuid.uuid4().hex, "10/minute") as url:
        [(status, body)] = post_at_once(url, PATH, [learner], LMS_HOST, api_key.secret)

    assert status == 200, body
    assert User.objects.get().pk == body["user_id"]


@pytest.mark.parametrize("kind", ["memcached", "redis"])
def test_a_cache_server_that_stops_lets_requests_through_loudly(api_key, tmp_path, kind):
    log = tmp_path / "worker.log"
    with own_cache_server(kind, tmp_path) as cache, worker(cache.location, "", "3/minute", log=log) as url:
        counted = post_at_once(url, PATH, [
            {"username": f"counted{n}", "email": f"counted{n}@example.com", "name": "N"} for n in range(4)
        ], LMS_HOST, api_key.secret)
        cache.stop()
        uncounted = [post_at_once(url, PATH, [
            {"username": f"uncounted{n}", "email": f"uncounted{n}@example.com", "name": "N"}
        ], LMS_HOST, api_key.secret)[0] for n in range(8)]

    assert Counter(status for status, _body in counted) == {200: 3, 429: 1}
    assert [status for status, _body in uncounted] == [200] * 8
    # Each request let through without a count says so (memcached's client answers False instead of raising).
    assert log.read_text().count("Rate limit not applied: the cache is unavailable.") == 8
