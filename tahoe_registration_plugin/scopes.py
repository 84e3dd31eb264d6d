"""
What a key may do (CONTRACT §8): each key carries one or more scopes, checked on every call.

Stored on the key as a comma-separated list of names. Keys that existed before scopes keep what
they could do then (``register`` and ``enroll``: their migration sets it); a new key gets
``register`` unless others are chosen.
"""
from django.utils.translation import gettext_lazy as _

REGISTER = "register"
ENROLL = "enroll"
READ = "read"
CHOICES = (
    (REGISTER, _("register: create learner accounts (v1 and v2 registrations)")),
    (ENROLL, _("enroll: enroll and unenroll learners (enrollments, and enrollments in a v2 registration)")),
    (READ, _("read: look up the site's learners, courses and enrollments")),
)
NAMES = tuple(name for name, _label in CHOICES)
DEFAULT = (REGISTER,)
# What keys created before scopes existed could do.
BEFORE_SCOPES = (REGISTER, ENROLL)


def parse(value):
    """
    The scope names in ``value`` (a comma-separated text or an iterable of names), in the order of
    ``NAMES``; raise ``ValueError`` naming an unknown one.
    """
    names = {name.strip() for name in (value.split(",") if isinstance(value, str) else value) if name.strip()}
    unknown = sorted(names - set(NAMES))
    if unknown:
        raise ValueError(f"Unknown scope(s): {', '.join(unknown)}; the scopes are {', '.join(NAMES)}.")
    return tuple(name for name in NAMES if name in names)


def joined(names):
    """How ``names`` are stored: comma-separated, in the order of ``NAMES``."""
    return ",".join(parse(names))
