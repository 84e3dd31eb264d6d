"""The cache servers the multi-worker tests run against."""
import os

import pytest

# Where each kind of cache server is, in make test-services; and an address where none listens.
CACHE_SERVERS = {"memcached": "TEST_CACHE_LOCATION", "redis": "TEST_REDIS_LOCATION"}


@pytest.fixture(params=sorted(CACHE_SERVERS))
def cache_server(request):
    location = os.environ.get(CACHE_SERVERS[request.param])
    assert location, "start the services first: .ci/services start (make test-services does)"
    return location
