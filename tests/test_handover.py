"""
``handover.hand_over``: a send runs in the worker's small pool, with the request and language it
was handed over from, and the caller waits for it a bounded time.
"""
import threading
import time
from unittest import mock

import crum
import pytest
from django.core import mail
from django.test import RequestFactory
from django.utils import translation

from tahoe_registration_plugin import handover
from tahoe_registration_plugin.backends import get_platform_backend


def test_a_send_runs_in_the_pool_with_the_callers_request_and_language():
    request = RequestFactory().post("/somewhere/")
    seen = []

    def send(*args):
        seen.append((args, crum.get_current_request(), translation.get_language(), threading.current_thread().name))

    crum.set_current_request(request)
    try:
        with translation.override("eo"):
            handover.hand_over(send, "site", "created", wait_seconds=5, what="send it")
    finally:
        crum.set_current_request(None)

    assert len(seen) == 1
    args, seen_request, language, thread = seen[0]
    assert (args, seen_request, language) == (("site", "created"), request, "eo")
    assert thread.startswith("tahoe-registration-email")


def test_a_send_that_fails_in_time_raises_its_own_error_here():
    def send():
        raise ConnectionRefusedError("no mail server")

    with pytest.raises(ConnectionRefusedError, match="no mail server"):
        handover.hand_over(send, wait_seconds=5, what="send it")


def test_a_send_still_running_after_the_wait_goes_on_alone_and_its_failure_is_logged(caplog):
    release, finished = threading.Event(), threading.Event()

    def send():
        try:
            release.wait(5)
            raise ConnectionResetError("the server hung up")
        finally:
            finished.set()

    with pytest.raises(handover.HandOverPending):
        handover.hand_over(send, wait_seconds=0.05, what="send the test email")
    release.set()
    assert finished.wait(5)
    for _ in range(50):  # the thread logs right after raising
        if "after the answer was sent" in caplog.text:
            break
        time.sleep(0.02)

    assert "Could not send the test email (after the answer was sent)." in caplog.text


def test_the_pool_is_made_once_and_bounded():
    assert handover._executor() is handover._executor()  # pylint: disable=protected-access
    assert handover._executor()._max_workers == handover.POOL_SIZE  # pylint: disable=protected-access


# --- through a registration, on each backend --------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_email_is_sent_with_the_requests_language_and_request(caller, learner):
    seen = []
    backend_class = type(get_platform_backend())
    send = backend_class.send_set_password_email

    def recording(backend, site, created):
        request = crum.get_current_request()
        seen.append((translation.get_language(), request.path, threading.current_thread().name))
        send(backend, site, created)

    with mock.patch.object(backend_class, "send_set_password_email", recording):
        response = caller.post(learner, HTTP_ACCEPT_LANGUAGE="eo")

    assert response.status_code == 200
    assert "warnings" not in response.json()
    assert len(seen) == 1
    language, path, thread = seen[0]
    assert (language, path) == ("eo", "/tahoe/api/v1/registrations/")
    assert thread.startswith("tahoe-registration-email")
    assert len(mail.outbox) == 1
