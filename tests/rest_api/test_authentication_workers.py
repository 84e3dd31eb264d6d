"""
Several LMS worker processes keep their own copy of a key for ``COPY_SECONDS``: a key revoked,
expired or rotated out by another process is refused by every one of them within that time,
whatever the shared cache does (unreachable during the change, flushed, restarted, restored from
an older snapshot), and nothing planted in the shared cache authenticates.

Needs ``.ci/services start``; run by ``make test-services``.
"""
import datetime
import io
import json
import time
import uuid
from contextlib import ExitStack
from urllib.request import Request, urlopen

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from tahoe_registration_plugin import keys
from tahoe_registration_plugin.models import ApiKey
from tahoe_registration_plugin.models.key_copies import COPY_SECONDS
from test_settings import cache_on
from tests.conftest import LMS_HOST
from tests.live import cache_server as own_cache_server
from tests.live import free_port, worker

# Other processes read the keys and sites each test writes: they must be committed.
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
# Each test's registrations get new names.
NUMBERS = iter(range(1_000_000))


def post(url, secret):
    """One registration through ``url``'s worker; its status."""
    number = next(NUMBERS)
    body = json.dumps({"username": f"learner{number}", "email": f"learner{number}@example.com", "name": "A"})
    request = Request(f"{url}/tahoe/api/v2/registrations/", data=body.encode(), method="POST", headers={
        "Host": LMS_HOST, "Authorization": f"Token {secret}", "Content-Type": "application/json",
    })
    try:
        with urlopen(request, timeout=30) as response:
            return response.status
    except OSError as error:  # urllib's HTTPError carries the status
        return getattr(error, "code", None)


def revoke(api_key):
    ApiKey.objects.get(pk=api_key.pk).revoke()


def expire(api_key):
    ApiKey.objects.filter(pk=api_key.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))


def rotate_out(api_key):
    ApiKey.objects.get(pk=api_key.pk).rotate(grace=datetime.timedelta(0))


def refused_by_every_worker_within_the_bound(urls, secret, changed_at):
    """Requests sent once ``COPY_SECONDS`` have passed since the change are all refused."""
    time.sleep(max(0.0, changed_at + COPY_SECONDS - time.monotonic()))
    return [post(url, secret) for url in urls] == [401] * len(urls)


@pytest.mark.parametrize("change", [revoke, expire, rotate_out])
def test_a_key_changed_by_another_process_is_refused_by_every_worker_within_the_bound(cache_server, api_key, change):
    prefix = uuid.uuid4().hex
    with ExitStack() as stack:
        urls = [stack.enter_context(worker(cache_server, prefix, "1000/minute")) for _ in range(2)]
        assert [post(url, api_key.secret) for url in urls * 2] == [200] * 4  # each worker keeps a copy

        with override_settings(CACHES={"default": cache_on(cache_server, prefix)}):
            change(api_key)
        changed_at = time.monotonic()

        assert refused_by_every_worker_within_the_bound(urls, api_key.secret, changed_at)


def test_a_key_revoked_while_the_cache_cannot_be_reached_is_refused_within_the_bound(cache_server, api_key):
    prefix = uuid.uuid4().hex
    dead = f"127.0.0.1:{free_port()}"
    with ExitStack() as stack:
        urls = [stack.enter_context(worker(cache_server, prefix, "1000/minute")) for _ in range(2)]
        assert [post(url, api_key.secret) for url in urls] == [200, 200]

        out = io.StringIO()
        with override_settings(CACHES={"default": cache_on(dead, prefix)}):
            call_command("tahoe_revoke_api_key", api_key.prefix, stdout=out)
        changed_at = time.monotonic()

        assert out.getvalue().startswith(f"Revoked API key {api_key.prefix}")
        assert refused_by_every_worker_within_the_bound(urls, api_key.secret, changed_at)


@pytest.mark.parametrize("kind", ["memcached", "redis"])
def test_a_cache_flushed_restarted_or_restored_from_an_older_snapshot_brings_no_key_back(api_key, tmp_path, kind):
    with own_cache_server(kind, tmp_path) as cache, worker(cache.location, "", "1000/minute") as url:
        assert post(url, api_key.secret) == 200
        if kind == "redis":
            cache.save()  # a snapshot taken while the key worked
        revoke(api_key)
        changed_at = time.monotonic()
        assert refused_by_every_worker_within_the_bound([url], api_key.secret, changed_at)
        cache.stop()
        cache.start()  # memcached restarts empty; Redis from the snapshot of before the revocation

        assert [post(url, api_key.secret) for _ in range(3)] == [401] * 3


def test_an_entry_planted_in_the_shared_cache_never_authenticates(cache_server, api_key):
    prefix = uuid.uuid4().hex
    made_up = "0badc0de.a-secret-nobody-was-given"
    fields = ApiKey.objects.filter(pk=api_key.pk).values().get()
    with override_settings(CACHES={"default": cache_on(cache_server, prefix)}):
        from django.core.cache import cache  # pylint: disable=import-outside-toplevel

        # Where the plugin's earlier releases kept keys' copies, and how.
        cache.set(f"tahoe_registration:api_key:{keys.hash_key(made_up)}", fields, 300)

    with worker(cache_server, prefix, "1000/minute") as url:
        assert post(url, made_up) == 401
        assert post(url, api_key.secret) == 200
