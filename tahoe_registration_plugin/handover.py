"""
Handing an email over without letting the mail server hold the answer.

``EMAIL_TIMEOUT`` bounds one socket operation, not a send: a server that answers each SMTP
command after 4.5 s held an answer 31.6 s. So the send runs in a thread of the worker's small
pool, as the request would run it (its request, for the platform's helpers, and its language),
and the answer waits for it at most ``TAHOE_REGISTRATION_EMAIL_WAIT_SECONDS``. A send still
running then goes on alone and is only logged if it fails; the caller is told the email may not
arrive. The pool bounds what a dead mail server can tie up in a worker: sends beyond it wait in
line, and their answers are not held longer either.
"""
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as StillRunning

import crum
from django.db import connections
from django.utils import translation

from tahoe_registration_plugin.logs import get_logger

log = get_logger(__name__)

# Sends that may run at once in one worker process.
POOL_SIZE = 4
_pool = None
_pool_lock = threading.Lock()


class HandOverPending(Exception):
    """The send did not finish in time: it goes on, and may still fail."""


def _executor():
    # Made on first use, in the worker process (a pool made before gunicorn forks has no threads).
    global _pool  # pylint: disable=global-statement
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=POOL_SIZE, thread_name_prefix="tahoe-registration-email")
        return _pool


def hand_over(send, *args, wait_seconds, what):
    """
    Run ``send(*args)`` and wait for it ``wait_seconds`` at most. Its exception is raised here
    when it failed in time; ``HandOverPending`` when it is still running (its failure, if any, is
    then logged, naming ``what``).
    """
    request, language = crum.get_current_request(), translation.get_language()
    # Whoever learns the outcome first reports it: the caller within the wait, else the thread.
    abandoned = threading.Event()

    def run():
        crum.set_current_request(request)
        try:
            with translation.override(language):
                send(*args)
        except Exception:
            if abandoned.is_set():
                log.exception("Could not %s (after the answer was sent).", what)
            raise
        finally:
            crum.set_current_request(None)
            connections.close_all()  # the thread's own database connections

    future = _executor().submit(run)
    try:
        return future.result(timeout=wait_seconds)
    except StillRunning as still_running:
        abandoned.set()
        if future.done() and future.exception() is not None:
            raise future.exception() from None
        raise HandOverPending(what) from still_running
