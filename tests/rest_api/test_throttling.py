"""The rate limit per key: a 429 with ``Retry-After`` past it, and registrations go on when the cache is down."""
from contextlib import ExitStack, contextmanager
from types import SimpleNamespace
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from waffle.models import Switch

from tahoe_registration_plugin import toggles
from tahoe_registration_plugin.rest_api.throttling import ApiKeyRateThrottle, parse_rate
from tests.conftest import Caller
from tests.factories import ApiKeyFactory

User = get_user_model()


@contextmanager
def unavailable_cache():
    """Every cache call fails, as when the memcached or Redis server is down."""
    def unavailable(*args, **kwargs):
        raise ConnectionRefusedError("cache server down")

    with ExitStack() as stack:
        for method in ("get", "get_many", "set", "set_many", "add", "incr", "delete"):
            stack.enter_context(mock.patch.object(cache, method, unavailable))
        yield


def test_the_rate_per_key_answers_429_with_retry_after(client, site, settings):
    settings.TAHOE_REGISTRATION_RATE = "3/minute"
    busy, quiet = ApiKeyFactory(site=site), ApiKeyFactory(site=site)
    caller = Caller(client, busy.secret)

    statuses = [
        caller.post({"username": f"user{n}", "email": f"user{n}@example.com", "name": "N"}).status_code
        for n in range(4)
    ]
    refused = caller.post({"username": "late", "email": "late@example.com", "name": "N"})

    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    # The three requests weigh on the next window too: the wait can reach two windows.
    assert 0 < int(refused["Retry-After"]) <= 120
    assert refused.json()["user_message"].startswith("Request was throttled.")
    assert User.objects.count() == 3
    # Another key of the same site has its own count.
    other = Caller(client, quiet.secret).post({"username": "other", "email": "other@example.com", "name": "N"})
    assert other.status_code == 200


def test_the_default_rate_is_60_a_minute(client, api_key):
    caller = Caller(client, api_key.secret)
    statuses = [caller.post({"username": "x"}).status_code for _ in range(61)]

    assert statuses == [400] * 60 + [429]


@pytest.mark.parametrize("switch_on", [False, True])
def test_an_unavailable_cache_does_not_stop_registrations_nor_the_switches(caller, learner, caplog, switch_on):
    Switch.objects.update_or_create(name=toggles.API_DISABLED, defaults={"active": switch_on})

    with unavailable_cache():
        response = caller.post(learner)

    assert response.status_code == (503 if switch_on else 200)
    assert User.objects.count() == (0 if switch_on else 1)
    if not switch_on:
        assert "Rate limit not applied: the cache is unavailable." in caplog.text


@pytest.mark.parametrize("rate, parsed", [
    ("60/minute", (60, 60)), ("5/second", (5, 1)), ("100/hour", (100, 3600)), ("1000/day", (1000, 86400)),
    ("7/m", (7, 60)),
])
def test_a_rate_is_read_as_drf_writes_it(rate, parsed):
    assert parse_rate(rate) == parsed


def ask(throttle, key_id, rate, now):
    """One request of the key ``key_id`` at ``now`` (seconds): whether it is let through."""
    request = SimpleNamespace(auth=SimpleNamespace(pk=key_id))
    view = SimpleNamespace(site_settings=SimpleNamespace(rate=rate))
    with mock.patch("tahoe_registration_plugin.rest_api.throttling.time.time", return_value=now):
        return throttle.allow_request(request, view)


def test_each_key_has_its_count_in_a_sliding_window_and_is_told_when_one_more_fits():
    throttle = ApiKeyRateThrottle()
    start = 1_800_000_000.0  # a window's first second (a multiple of 60)

    assert [ask(throttle, 1, "2/minute", start + second) for second in (0, 10, 20)] == [True, True, False]
    # Both requests weigh on the next window until half of it has passed (2 × 0.5 + 1 <= 2).
    assert throttle.wait() == 70
    assert ask(throttle, 2, "2/minute", start + 20)  # another key counts on its own
    assert not ask(throttle, 1, "2/minute", start + 89)
    assert ask(throttle, 1, "2/minute", start + 90)


def test_a_burst_across_a_window_boundary_is_bounded():
    throttle = ApiKeyRateThrottle()
    boundary = 1_800_000_060.0

    # 120 requests in 3 seconds at 60 a minute, half before the boundary and half after it.
    before = [ask(throttle, 1, "60/minute", boundary - 1.5 + n / 40) for n in range(60)]
    after = [ask(throttle, 1, "60/minute", boundary + n / 40) for n in range(60)]

    assert sum(before) == 60
    # Fixed windows let all 60 through again; at most 60 × (1 + 3 / 60) in any 3 seconds now.
    assert sum(before) + sum(after) <= 63


def test_refused_requests_are_not_counted():
    throttle = ApiKeyRateThrottle()
    start = 1_800_000_000.0

    assert [ask(throttle, 1, "2/minute", start) for _ in range(2)] == [True, True]
    assert [ask(throttle, 1, "2/minute", start + 1) for _ in range(50)] == [False] * 50
    # Only the two requests let through weigh on the next window: at its middle, 2 × 0.5 + 1 <= 2.
    assert ask(throttle, 1, "2/minute", start + 90)


def test_the_count_is_shared_through_the_cache_by_every_throttle_instance():
    start = 1_800_000_000.0

    assert ask(ApiKeyRateThrottle(), 1, "1/minute", start)
    assert not ask(ApiKeyRateThrottle(), 1, "1/minute", start + 1)
