"""
Fixtures shared by the suite: two sites, a key for the first, and an API client.

The sites (and so the keys and callers) are made with ``db``: each test runs in a transaction
that is rolled back. A test whose assertions need real commits asks for them with
``@pytest.mark.django_db(transaction=True)``:

- it checks what follows a registration's commit (``backend.after_commit``: activation,
  announcements, emails and their warnings) or what the ``outbox`` lets out, or that nothing of
  it goes out for a registration that rolled back. Inside an open transaction ``register_user``
  leaves these to ``transaction.on_commit``, which never runs under ``db``;
- it counts a transaction's statements or tries one again after a lost lock (a lost lock inside
  the caller's transaction is the caller's to retry);
- another thread or process (a live server, a worker, a mail send in the hand-over pool) reads
  what it wrote.
"""
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from edx_django_utils.cache import RequestCache
from rest_framework.test import APIClient

from tahoe_registration_plugin.models.key_copies import copies
from tests.factories import ApiKeyFactory, SiteFactory

LMS_HOST = "lms.example.com"
OTHER_HOST = "other.example.com"


@pytest.fixture(autouse=True)
def _empty_cache():
    """
    Throttle counters live in the cache, switches' values in the request cache, keys' copies in the
    process: each test starts with none.
    """
    for forget in (cache.clear, RequestCache.clear_all_namespaces, copies.clear):
        forget()
    yield
    for forget in (cache.clear, RequestCache.clear_all_namespaces, copies.clear):
        forget()


@pytest.fixture
def site(db):  # pylint: disable=unused-argument
    """A site answering LMS_HOST."""
    return SiteFactory(domain=LMS_HOST)


@pytest.fixture
def other_site(db):  # pylint: disable=unused-argument
    return SiteFactory(domain=OTHER_HOST)


@pytest.fixture
def api_key(site):
    return ApiKeyFactory(site=site)


@pytest.fixture
def client():
    return APIClient()


class Caller:
    """Calls the API the way an integration does: a key, a host, a body."""

    def __init__(self, client, secret, host=LMS_HOST):
        self.client = client
        self.secret = secret
        self.host = host

    def post(self, data, version="v1", fmt="json", path=None, **extra):
        headers = {"HTTP_HOST": self.host, **extra}
        if self.secret is not None:
            headers.setdefault("HTTP_AUTHORIZATION", f"Token {self.secret}")
        url = path or f"/tahoe/api/{version}/registrations/"
        if fmt == "json":
            return self.client.post(url, data, format="json", **headers)
        if fmt == "form":
            return self.client.post(
                url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded", **headers
            )
        return self.client.post(url, data, **headers)  # multipart, the test client's default

    def enroll(self, data, **extra):
        """``POST /tahoe/api/v2/enrollments/`` with a JSON body."""
        return self.post(data, path="/tahoe/api/v2/enrollments/", **extra)

    def get(self, path, params=None, **extra):
        """``GET /tahoe/api/v2/<path>/`` with query parameters."""
        headers = {"HTTP_HOST": self.host, **extra}
        if self.secret is not None:
            headers.setdefault("HTTP_AUTHORIZATION", f"Token {self.secret}")
        return self.client.get(f"/tahoe/api/v2/{path}/", params or {}, **headers)


STANDALONE_BACKEND = "tahoe_registration_plugin.backends.standalone.StandaloneBackend"
OPENEDX_BACKEND = "tahoe_registration_plugin.backends.openedx.OpenedxBackend"


@pytest.fixture(params=["standalone", "openedx"])
def platform(request, settings):
    """
    Runs each API-level test on both backends: the standalone one, and the Open edX one over
    stand-ins of the platform's modules. Inside a real LMS (``make test-lms``) the LMS's own
    backend and modules are used as they are.
    """
    if settings.ROOT_URLCONF == "lms.urls":
        if request.param != "openedx":
            pytest.skip("inside the LMS only the Open edX backend runs")
        yield "lms"
    elif request.param == "openedx":
        # Imported here: the stand-ins use the standalone app, which an LMS does not install.
        from tests.openedx_stand_ins import lms  # pylint: disable=import-outside-toplevel

        settings.TAHOE_REGISTRATION_PLATFORM_BACKEND = OPENEDX_BACKEND
        with lms.installed():
            yield "openedx"
    else:
        settings.TAHOE_REGISTRATION_PLATFORM_BACKEND = STANDALONE_BACKEND
        yield "standalone"


@pytest.fixture
def caller(client, api_key, platform):  # pylint: disable=unused-argument
    """An integration calling with a valid key for ``site``, on each backend."""
    return Caller(client, api_key.secret)


@pytest.fixture
def learner():
    """A valid registration body, as the seed's curl example sends it."""
    return {"username": "auserton", "email": "alex.userton@example.com", "name": "Alex Userton"}
