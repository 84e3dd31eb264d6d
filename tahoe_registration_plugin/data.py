"""Plain value objects passed between the API layer, the operation and the platform backend."""
import datetime
from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping


@dataclass(frozen=True)
class Enrollment:
    """An enrollment in one course: asked for (``mode`` None means the course's default), or made."""

    course_key: Any  # an opaque_keys CourseKey
    mode: str | None = None

    def as_dict(self):
        return {"course_id": str(self.course_key), "mode": self.mode}


@dataclass(frozen=True)
class Course:
    """A course as the platform stores it: its key (the stored spelling), and the modes it offers now."""

    course_key: Any  # an opaque_keys CourseKey
    modes: tuple[str, ...] = ()
    name: str = ""
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    enrollment_start: datetime.datetime | None = None
    enrollment_end: datetime.datetime | None = None

    def as_dict(self):
        return {
            "course_id": str(self.course_key), "name": self.name, "org": self.course_key.org,
            **{name: getattr(self, name) for name in ("start", "end", "enrollment_start", "enrollment_end")},
            "modes": list(self.modes),
        }


@dataclass(frozen=True)
class NewAccount:
    """A validated request to register one learner."""

    username: str
    email: str
    name: str
    # None when the caller gave no password: the learner then chooses one from an email.
    password: str | None = None
    send_activation_email: bool = True
    # The body's other top-level fields; only those the site's registration extension form
    # declares reach the platform.
    extra_fields: Mapping[str, Any] = field(default_factory=dict, hash=False)
    # The courses to enroll the learner in, with the account (v2).
    enrollments: tuple[Enrollment, ...] = ()

    @property
    def has_password(self):
        return self.password is not None


@dataclass(frozen=True)
class PreparedAccount:
    """
    An account the platform's rules were applied to, once, before anything is written.

    ``account`` is the request as the platform will create it (a registration filter may have
    changed it); ``field_errors`` is ``{field: [message, ...]}``, empty when it is acceptable.
    Each backend extends it with what it built while preparing and reuses to create the account.
    """

    account: NewAccount
    field_errors: Mapping[str, list] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class CreatedAccount:
    """The rows a registration wrote: the user, its profile and its activation record."""

    user: Any
    profile: Any
    registration: Any


@dataclass(frozen=True)
class IdempotencyKey:
    """A caller's ``Idempotency-Key`` and the request body it came with, in one canonical text."""

    # The longest key accepted, and how long a registration made with one is answered again.
    MAX_LENGTH: ClassVar[int] = 255
    REPLAY_WINDOW: ClassVar[datetime.timedelta] = datetime.timedelta(hours=24)

    key: str
    # Never stored: it holds the password; records keep a keyed fingerprint of it.
    body: str = field(repr=False)


@dataclass(frozen=True)
class RegisteredAccount:
    """The outcome of a registration."""

    user_id: int
    # The enrollments made with the account, each with its mode.
    enrollments: tuple[Enrollment, ...] = ()
    # Problems that did not undo the registration (an email that could not be handed over).
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class EnrollmentChange:
    """A validated enrollments call: enroll or unenroll each learner (as sent) in each course (as sent)."""

    ENROLL: ClassVar[str] = "enroll"
    UNENROLL: ClassVar[str] = "unenroll"

    action: str
    course_keys: tuple[Any, ...]
    learners: tuple[str, ...]
    mode: str | None = None
    auto_enroll: bool = True
    email_learners: bool = False


@dataclass(frozen=True)
class Learner:
    """One of a site's learners, as a key may see them."""

    user_id: int
    username: str
    email: str
    name: str
    is_active: bool
    date_joined: datetime.datetime


@dataclass(frozen=True)
class EnrollmentState:
    """A learner's enrollment in a course, as the platform stores it."""

    user_id: int
    username: str
    course_key: Any
    mode: str
    is_active: bool
    created: datetime.datetime


@dataclass(frozen=True)
class EnrollmentResult:
    """
    The outcome for one (learner, course) of an enrollments call. ``learner`` is as the caller sent
    it; ``user_id`` is None where there is no account (or none the key may see).
    """

    learner: str
    course_key: Any
    status: str
    user_id: int | None = None
    mode: str | None = None

    def as_dict(self):
        return {"learner": self.learner, "course_id": str(self.course_key), "user_id": self.user_id,
                "mode": self.mode, "status": self.status}


@dataclass(frozen=True)
class EnrollmentChanges:
    """The outcome of an enrollments call: one result per (learner, course), learner by learner."""

    action: str
    results: tuple[EnrollmentResult, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class EnrollmentNotice:
    """
    An enrollment email to send once a call has committed, as the platform's instructor
    enrollment sends it: ``message_type`` is the platform's (``enrolled_enroll``,
    ``allowed_enroll``, ``enrolled_unenroll``, ``allowed_unenroll``).
    """

    message_type: str
    email: str
    course_key: Any
    user: Any = None
    auto_enroll: bool = False
