"""Why a registration was refused. The REST layer turns each into its HTTP answer."""
from django.utils.translation import gettext_lazy as _

ITEM_PROBLEM_MSG = _("Item {position} ({course_id}): {problem}")


def item_problem(position, course_id, problem):
    """What is wrong with the ``position``-th (from 1) item of a list (of courses, of learners), naming it."""
    return ITEM_PROBLEM_MSG.format(position=position, course_id=course_id, problem=problem)


class RegistrationError(Exception):
    """Base class: the registration did not happen and nothing was changed."""


class AccountConflict(RegistrationError):
    """The username and/or the email already belong to an account (409)."""

    def __init__(self, fields):
        self.fields = sorted(set(fields))
        super().__init__(f"Account already exists: {', '.join(self.fields)}")


class InvalidAccount(RegistrationError):
    """The platform's rules refuse a field (400), e.g. a username it does not allow."""

    def __init__(self, field_errors):
        self.field_errors = {name: list(messages) for name, messages in field_errors.items()}
        super().__init__(f"Invalid fields: {', '.join(sorted(self.field_errors))}")


class IdempotencyKeyReused(RegistrationError):
    """The ``Idempotency-Key`` was used before with a different request body (422)."""


class RegistrationRefused(RegistrationError):
    """The site's own rules refuse this registration as a whole (a registration filter, say)."""

    def __init__(self, message, status_code=400):
        self.message = message
        self.status_code = status_code
        super().__init__(message)


class PlatformUnavailable(Exception):
    """The platform backend cannot be loaded: a module or name it needs is missing (503)."""


class InvalidEnrollment(RegistrationError):
    """The platform refuses one enrollment change of a call (its ``CourseEnrollmentStarted`` filter, say)."""

    def __init__(self, user, course_key, message):
        self.user, self.course_key, self.message = user, course_key, message
        super().__init__(f"Enrollment of user {user.pk} in {course_key} refused")
