"""Live servers (in a thread, or as processes) and real parallel HTTP requests against them."""
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.db import connection

# The project's root, where ``manage.py`` and the settings modules are.
PROJECT = Path(__file__).resolve().parent.parent


class BusyServer(ThreadedWSGIServer):
    """Django's threaded development server, with a listen queue deep enough for a burst of 50."""

    request_queue_size = 128


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def live_server():
    """Serve the project on 127.0.0.1 (a free port) in a thread, one thread per request; yield its URL."""
    server = BusyServer(("127.0.0.1", 0), QuietHandler)
    # Static files too, so that pages (the admin's) look as they do on make run's server.
    server.set_app(StaticFilesHandler(get_wsgi_application()))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def post_at_once(base_url, path, bodies, host, secret, extra_headers=None):
    """
    POST each JSON body from its own thread and connection, all released together.

    Returns ``[(status, parsed JSON body), ...]`` in the order of ``bodies``.
    """
    address = urlsplit(base_url)
    start = threading.Barrier(len(bodies))

    def post(body):
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        headers = {"Host": host, "Authorization": f"Token {secret}", "Content-Type": "application/json",
                   **(extra_headers or {})}
        payload = json.dumps(body)
        start.wait()
        try:
            connection.request("POST", path, payload, headers)
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"null")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, bodies))


def free_port():
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(env, port, *args):
    """``manage.py runserver`` on 127.0.0.1:``port`` with ``env``, until the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload", *args],
        cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the server process did not start") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def worker(cache_location, key_prefix, rate):
    """One more server process of the project, on this test's database and the given cache."""
    database = connection.settings_dict["NAME"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "test_settings",
        "TEST_CACHE_LOCATION": cache_location,
        "TEST_CACHE_KEY_PREFIX": key_prefix,
        "TEST_REGISTRATION_RATE": rate,
        # The process must use the test database the fixtures wrote to, not create its own.
        ("TEST_DB_NAME" if connection.vendor == "mysql" else "TEST_SQLITE_PATH"): str(database),
    }
    with serving(env, free_port(), "--nothreading") as url:
        yield url
