"""``shared_cache.attempt``: a failing cache is logged and answered with ``UNAVAILABLE``, never raised."""
import logging

from django.core.cache import cache

from tahoe_registration_plugin import shared_cache


def test_a_working_cache_answers_as_itself():
    cache.set("key", 0)

    assert shared_cache.attempt(cache.get, "key") == 0
    assert shared_cache.attempt(cache.get, "missing", default="default") == "default"


def test_a_failing_cache_is_unavailable_and_logged_as_a_warning(caplog):
    def get(key):
        raise ConnectionError(f"cannot reach the server for {key}")

    with caplog.at_level(logging.WARNING):
        answer = shared_cache.attempt(get, "key")

    assert answer is shared_cache.UNAVAILABLE
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "The shared cache is unavailable (get); going on without it." in caplog.text


def test_unavailable_is_falsy_and_unlike_any_value_the_cache_holds():
    assert not shared_cache.UNAVAILABLE
    assert shared_cache.UNAVAILABLE not in (None, 0, False, "", [], {})
    assert repr(shared_cache.UNAVAILABLE) == "UNAVAILABLE"
