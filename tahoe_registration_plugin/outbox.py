"""
What leaves the process while one of the plugin's transactions is open, held until it commits.

The platform sends as it goes, inside whatever transaction its caller holds: ``CourseEnrollment.enroll``
sends its signals and openedx-events (and so event-bus messages), emits tracking-log and Segment
events and queues Celery tasks before the enrollment is committed, and none of it waits for a
commit. A transaction of the plugin's can still roll back after an enrollment (a later item the
site's filter refuses, a duplicate refused by the database, a lost lock tried again): without care,
learners would get emails and other systems events for enrollments that never happened, twice
after a retry.

The Open edX backend names the platform's exits once (``hold_at``): the enrollment signals, the
openedx-events ``send_event``, the tracker's ``emit``, Segment's ``track``/``identify``, and Celery's
``apply_async``. Each exit then asks, in the calling thread, whether an ``Outbox`` is holding: if
so the call is kept, in order; if not (every other caller in the LMS) it goes out as before.
``Outbox.release`` lets the kept calls out once the transaction has committed; a rolled-back
attempt's outbox is dropped, so nothing goes out for it, and a retried transaction sends once
(docs/decisions/0012).
"""
import threading
from contextlib import contextmanager
from functools import partial, wraps

from tahoe_registration_plugin.logs import get_logger

log = get_logger(__name__)

_holding = threading.local()
HELD = "_tahoe_registration_held"


class Outbox:
    """The calls held for one transaction, let out by ``release`` (after the commit), or dropped."""

    def __init__(self):
        self.calls = []

    @contextmanager
    def holding(self):
        """Hold this thread's calls to the exits while the block runs (an outer outbox keeps holding them)."""
        outer = getattr(_holding, "outbox", None)
        _holding.outbox = outer or self
        try:
            yield self
        finally:
            _holding.outbox = outer

    def release(self):
        """Let the held calls out, in order; one that fails is logged and does not stop the others."""
        calls, self.calls = self.calls, []
        for call in calls:
            try:
                call()
            except Exception:  # pylint: disable=broad-except
                # The transaction committed: a receiver's failure cannot undo it, as the platform's
                # send_robust would not let it.
                log.exception("A held call failed after the commit: %s", getattr(getattr(call, "func", call),
                                                                                 "__qualname__", call))


def _held(exit_function, capture=None):
    """``exit_function``, kept when an outbox is holding; ``capture`` adapts it to run later (a context to keep)."""

    @wraps(exit_function)
    def exit_or_hold(*args, **kwargs):
        outbox = getattr(_holding, "outbox", None)
        if outbox is None:
            return exit_function(*args, **kwargs)
        outbox.calls.append((capture or partial)(exit_function, *args, **kwargs))
        return []  # what a signal's send answers when no one listened; callers of the other exits ignore it

    setattr(exit_or_hold, HELD, True)
    return exit_or_hold


def hold_at(owner, name, capture=None):
    """Make ``owner.name`` (a function, a method, a bound method) an exit that outboxes hold; once."""
    exit_function = getattr(owner, name)
    if not getattr(exit_function, HELD, False):
        setattr(owner, name, _held(exit_function, capture))
