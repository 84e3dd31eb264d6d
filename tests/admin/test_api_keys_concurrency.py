"""
The "key created" page under real concurrency: the creator's browser loading it several times at
once (a live server, one thread and one database connection per request) shows the secret once.
Runs on SQLite and, with ``TEST_DB=mysql`` (``make test-services``), on MariaDB.
"""
import http.client
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from tahoe_registration_plugin.models import ApiKey
from tests.admin.test_api_keys import create_key_in_admin
from tests.live import live_server

LOADS = 6
ROUNDS = 3


def get_at_once(base_url, path, cookie, count):
    """GET ``path`` ``count`` times, each from its own thread and connection, all released together."""
    address = urlsplit(base_url)
    start = threading.Barrier(count)

    def get(_number):
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        start.wait()
        try:
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(get, range(count)))


# The live server's threads open their own connections: the rows must be committed to be seen.
@pytest.mark.django_db(transaction=True)
def test_simultaneous_loads_of_the_created_page_show_the_secret_once(site):
    get_user_model().objects.create_superuser("boss", "boss@example.com", "a-long-passphrase")
    client = Client()
    client.login(username="boss", password="a-long-passphrase")
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    with live_server() as url:
        for _round in range(ROUNDS):
            created_page = create_key_in_admin(client, site)["Location"]
            api_key = ApiKey.objects.order_by("-pk").first()

            pages = get_at_once(url, created_page, cookie, LOADS)

            assert [status for status, _page in pages] == [200] * LOADS
            shown = [page for _status, page in pages if 'id="api-key-secret"' in page]
            times_shown = len(shown)
            assert times_shown == 1
            assert sum('id="api-key-already-shown"' in page for _status, page in pages) == LOADS - 1
            api_key.refresh_from_db()
            assert api_key.secret_shown_at is not None
            # The one page shown has the key's own secret; the database holds no more than its hash.
            secret = shown[0].split('id="api-key-secret"', 1)[1].split(">", 1)[1].split("<", 1)[0].strip()
            assert api_key.matches(secret)
