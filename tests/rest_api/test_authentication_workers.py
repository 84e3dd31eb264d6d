"""
Several LMS worker processes read keys from the shared cache, without a database query, and a
key revoked or expired by another process is refused by every one of them at once.

Needs ``.ci/services start``; run by ``make test-services``.
"""
import datetime
import json
import uuid
from contextlib import ExitStack
from urllib.request import Request, urlopen

import pytest
from django.test import override_settings
from django.utils import timezone

from tahoe_registration_plugin.models import ApiKey
from test_settings import cache_on
from tests.conftest import LMS_HOST
from tests.live import worker

pytestmark = pytest.mark.services


def post(url, secret, number):
    """One registration through ``url``'s worker; its status."""
    body = json.dumps({"username": f"learner{number}", "email": f"learner{number}@example.com", "name": "A"})
    request = Request(f"{url}/tahoe/api/v2/registrations/", data=body.encode(), method="POST", headers={
        "Host": LMS_HOST, "Authorization": f"Token {secret}", "Content-Type": "application/json",
    })
    try:
        with urlopen(request, timeout=30) as response:
            return response.status
    except OSError as error:  # urllib's HTTPError carries the status
        return getattr(error, "code", None)


@pytest.mark.parametrize("change", ["revoke", "expire"])
def test_a_key_changed_by_another_process_is_refused_by_every_worker_at_once(cache_server, api_key, change):
    prefix = uuid.uuid4().hex
    with ExitStack() as stack:
        urls = [stack.enter_context(worker(cache_server, prefix, "1000/minute")) for _ in range(2)]
        # Each worker reads the key once, and keeps its copy in the shared cache.
        assert [post(url, api_key.secret, number) for number, url in enumerate(urls * 2)] == [200] * 4

        with override_settings(CACHES={"default": cache_on(cache_server, prefix)}):
            if change == "revoke":
                ApiKey.objects.get(pk=api_key.pk).revoke()
            else:
                ApiKey.objects.filter(pk=api_key.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

        assert [post(url, api_key.secret, 10 + number) for number, url in enumerate(urls)] == [401, 401]
