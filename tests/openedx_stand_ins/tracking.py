"""
``eventtracking.tracker`` (openedx/event-tracking tracker.py @ 1660b1dd) and
``common.djangoapps.track.segment`` (openedx/edx-platform segment.py @ 03fc35a4, with the newer
``traits`` argument): events are sent as they are emitted, in the request's thread, each with the
context stack resolved at that moment.
"""
import threading
from contextlib import contextmanager

from django.conf import settings

from tests.openedx_stand_ins.records import calls


class Tracker:
    """A tracker with a context stack per thread, as eventtracking's."""

    def __init__(self):
        self._local = threading.local()

    def _stack(self):
        if not hasattr(self._local, "stack"):
            self._local.stack = []
        return self._local.stack

    @contextmanager
    def context(self, name, ctx):
        self._stack().append((name, ctx))
        try:
            yield
        finally:
            self._stack().pop()

    def resolve_context(self):
        resolved = {}
        for _name, ctx in self._stack():
            resolved.update(ctx)
        return resolved

    def emit(self, event_type=None, data=None):
        calls.append(("tracker.emit", event_type, dict(data or {}), self.resolve_context()))


_tracker = Tracker()


def get_tracker(name="default"):  # pylint: disable=unused-argument
    return _tracker


def emit(event_type=None, data=None):
    get_tracker().emit(event_type, data)


def identify(user_id, properties, context=None):  # pylint: disable=unused-argument
    if getattr(settings, "LMS_SEGMENT_KEY", None):
        calls.append(("segment.identify", user_id, dict(properties)))


def track(user_id, event_name, properties=None, context=None, traits=None):  # pylint: disable=unused-argument
    if event_name is not None and getattr(settings, "LMS_SEGMENT_KEY", None):
        calls.append(("segment.track", user_id, event_name, dict(properties or {}), dict(traits or {})))
