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


def wait_for_port(port, process, what):
    """Until something listens on ``port``; fails when ``process`` ended first or after 30 s."""
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"{what} did not start") from None
            time.sleep(0.1)


@contextmanager
def serving(env, port, *args, log=None):
    """
    ``manage.py runserver`` on 127.0.0.1:``port`` with ``env``, until the block ends; what it
    writes to its standard error goes to the file ``log``, if given.
    """
    with open(log or os.devnull, "w", encoding="utf-8") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload", *args],
            cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=errors,
        )
        try:
            wait_for_port(port, process, "the server process")
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


class CacheServer:
    """
    A memcached or Redis server of the test's own, which it can stop and start again (Redis from
    the snapshot it saved last).
    """

    def __init__(self, kind, directory):
        self.kind, self.directory, self.port = kind, Path(directory), free_port()
        self.process = None

    @property
    def location(self):
        return f"redis://127.0.0.1:{self.port}/1" if self.kind == "redis" else f"127.0.0.1:{self.port}"

    def start(self):
        command = (
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.directory),
             "--save", "", "--appendonly", "no"] if self.kind == "redis"
            else ["memcached", "-u", "root", "-l", "127.0.0.1", "-p", str(self.port), "-U", "0", "-m", "16"]
        )
        # Kept running past this method: stop() kills it.
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.process, self.kind)

    def stop(self):
        """Killed, as a crashed server is: what Redis did not save is lost."""
        self.process.kill()
        self.process.wait(timeout=10)

    def save(self):
        """Redis's ``SAVE``: a snapshot it starts from next time."""
        subprocess.run(["redis-cli", "-p", str(self.port), "SAVE"], check=True, capture_output=True)


@contextmanager
def cache_server(kind, directory):
    """A ``CacheServer``, started; stopped when the block ends."""
    server = CacheServer(kind, directory)
    server.start()
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.stop()


@contextmanager
def worker(cache_location, key_prefix, rate, log=None):
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
    with serving(env, free_port(), "--nothreading", log=log) as url:
        yield url
