"""The interface every platform backend implements, and what backends share."""
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tahoe_registration_plugin.conf import api_settings, configured
from tahoe_registration_plugin.handover import HandOverPending, hand_over
from tahoe_registration_plugin.logs import get_logger

log = get_logger(__name__)

# The platform's choice of a default mode (enrollments.api._default_course_mode): its default slug,
# then audit, then honor; else the course's first mode.
DEFAULT_MODE_PREFERENCE = ("audit", "honor")
ACTIVATION_EMAIL = "activation"
SET_PASSWORD_EMAIL = "set-password"
EMAIL_NOT_SENT_WARNING = _(
    "The account was created, but its {email} email could not be sent. "
    "The learner can ask for a password reset from the site's login page."
)
EMAIL_PENDING_WARNING = _(
    "The account was created; its {email} email was still being handed over to the mail server and "
    "may not arrive. The learner can ask for a password reset from the site's login page."
)
NOT_ACTIVATED_WARNING = _(
    "The account was created, but could not be activated. The learner can activate it from the "
    "link of a password reset email."
)


class PlatformBackend:
    """
    Create accounts and send their emails the way the platform does.

    ``api.register_user`` calls ``prepare`` once (the platform's rules, applied before anything is
    written) and ``find_conflicts``, then ``create_account`` and ``enroll`` inside its
    transaction; once that has committed, ``after_commit`` activates the account where the
    platform would, announces the registration and hands its email over.
    """

    # Whether ``find_conflicts`` must run before every creation: True unless the database refuses
    # every account ``find_conflicts`` would find taken (then a conflict surfaces as an IntegrityError).
    looks_for_conflicts_before_creating = True

    @classmethod
    def missing_platform_names(cls):
        """The platform modules and names this backend needs but cannot load (``manage.py check``)."""
        return []

    def prepare(self, site, account):
        """
        Apply the platform's rules to ``account`` (a ``data.NewAccount``); return a
        ``data.PreparedAccount`` (the backend's own kind, carrying what ``create_account`` reuses).
        """
        raise NotImplementedError

    def find_conflicts(self, account):
        """The names of the fields (``username``, ``email``) already taken, case-insensitively."""
        raise NotImplementedError

    def create_account(self, site, prepared):
        """
        Create the user (inactive), its profile and what ties it to ``site``; return a ``data.CreatedAccount``.

        Runs inside the caller's transaction. Raises ``AccountConflict`` when the platform finds
        the username or email taken, or lets a database error propagate.
        """
        raise NotImplementedError

    def find_course(self, course_key):
        """
        The course ``course_key`` names, as the platform stores it (a ``data.Course``), or None.
        The database may match another spelling of the id (``SiteCourses`` judges it).
        """
        raise NotImplementedError

    def default_mode(self, modes):
        """The mode an enrollment gets when none was asked for, among the course's ``modes``."""
        return next((mode for mode in DEFAULT_MODE_PREFERENCE if mode in modes), modes[0])

    def enroll(self, user, enrollments):
        """
        Enroll ``user`` in each of ``enrollments`` (``data.Enrollment``, modes resolved), inside
        the caller's transaction. Raises ``InvalidAccount`` naming the item the platform refuses.
        """
        raise NotImplementedError

    # --- The site's learners, courses and enrollments (enrollments, users and courses endpoints) ---

    def signed_up_on(self, site):
        """A ``Q`` over users: those the platform records as having signed up on ``site`` (``learners``)."""
        raise NotImplementedError

    def all_courses(self, orgs=None):
        """Every course (``data.Course``, without modes), of ``orgs`` only when given (compared without case)."""
        raise NotImplementedError

    def course_modes(self, course_key):
        """The modes a learner can be enrolled in now in the course ``course_key`` (its stored key)."""
        raise NotImplementedError

    def enrollment_rows(self):
        """The platform's enrollments, a queryset with ``user``, ``course_id``, ``mode``, ``is_active``, ``created``."""
        raise NotImplementedError

    def allowed_rows(self):
        """The platform's pre-enrollments (``CourseEnrollmentAllowed``), a queryset."""
        raise NotImplementedError

    def enroll_many(self, changes):
        """
        Enroll each ``(user, data.Enrollment)`` of ``changes`` (mode resolved; the user may have an
        inactive enrollment), inside the caller's transaction. Raises ``InvalidEnrollment`` naming
        the ``(user, course_key)`` the platform refuses.
        """
        raise NotImplementedError

    def unenroll_many(self, changes):
        """Unenroll each ``(user, course_key)`` of ``changes``; ``InvalidEnrollment`` as ``enroll_many``."""
        raise NotImplementedError

    def allow_many(self, items, auto_enroll):
        """Pre-enroll each ``(email, course_key)`` of ``items`` (the platform's ``enroll_email`` for an address)."""
        allowed = self.allowed_rows()
        for email, course_key in items:
            row, _created = allowed.get_or_create(email=email, course_id=course_key)
            if row.auto_enroll != auto_enroll:
                row.auto_enroll = auto_enroll
                row.save()

    def disallow_many(self, items):
        """Remove the pre-enrollment of each ``(email, course_key)`` of ``items``."""
        for email, course_key in items:
            self.allowed_rows().filter(email=email, course_id=course_key).delete()

    def is_email_retired(self, email):  # pylint: disable=unused-argument
        """Whether ``email`` belonged to a retired account (the platform pre-enrolls no such address)."""
        return False

    def send_enrollment_email(self, site, notice):
        """Hand over the enrollment email of one ``data.EnrollmentNotice`` (the platform's instructor emails)."""
        raise NotImplementedError

    def skips_email_validation(self, user):  # pylint: disable=unused-argument
        """Whether ``user``'s account is active at once, with no activation email (the platform's flags)."""
        return bool(configured("SKIP_EMAIL_VALIDATION", False) or configured("AUTOMATIC_AUTH_FOR_TESTING", False))

    def after_commit(self, site, prepared, created):
        """
        What follows a committed registration, on its committed rows: activate the account where
        the platform would, announce the registration, then hand its email over. None of these can
        undo the account: each failure is logged, and returned as a warning for the caller.

        With a password, the activation email goes out unless the caller vouches for the address
        (``send_activation_email`` false) or the site skips email validation; either way the
        account is then activated. Without a password, the set-password email goes out instead:
        its link lets the learner choose one and activates the account.
        """
        account, user, warnings = prepared.account, created.user, []
        if account.has_password:
            needs_email = account.send_activation_email and not self.skips_email_validation(user)
            activate, email = not needs_email, ACTIVATION_EMAIL if needs_email else None
        else:
            activate, email = self.skips_email_validation(user), SET_PASSWORD_EMAIL
        if activate and not _attempt(created.registration.activate, "activate the account of user %s", user.pk):
            warnings.append(str(NOT_ACTIVATED_WARNING))
        _attempt(self.announce_registration, "announce the registration of user %s", user.pk, args=(site, created))
        if email:
            send = {ACTIVATION_EMAIL: self.send_activation_email, SET_PASSWORD_EMAIL: self.send_set_password_email}
            warning = self._hand_over(send[email], email, site, created)
            if warning:
                warnings.append(warning)
        return tuple(warnings)

    @staticmethod
    def _hand_over(send, email, site, created):
        """Hand the email over, waiting for the mail server a bounded time; a warning, if the caller needs one."""
        what = f"send the {email} email of user {created.user.pk}"
        try:
            hand_over(send, site, created, wait_seconds=api_settings.email_wait_seconds, what=what)
        except HandOverPending:
            log.warning("Still trying to %s after %s s; answering without waiting.", what,
                        api_settings.email_wait_seconds)
            return EMAIL_PENDING_WARNING.format(email=email)
        except Exception:  # pylint: disable=broad-except
            log.exception("Could not %s.", what)
            return EMAIL_NOT_SENT_WARNING.format(email=email)
        return None

    def announce_registration(self, site, created):
        """Tell the rest of the platform that the account was created (signals, events), once committed."""
        raise NotImplementedError

    def send_activation_email(self, site, created):
        """Hand over the email whose link activates the account."""
        raise NotImplementedError

    def send_set_password_email(self, site, created):
        """Hand over the email whose link lets the learner choose a password (and activates the account)."""
        raise NotImplementedError


def _attempt(step, what, user_id, args=()):
    """Run one after-commit step; log its failure (``what`` names it, for ``user_id``). True when it ran."""
    try:
        step(*args)
    except Exception:  # pylint: disable=broad-except
        log.exception(f"Could not {what}.", user_id)
        return False
    return True


def save_new_user(user, extension_form, registration):
    """
    The rows of a new account that both backends write the same way: the user, the site's
    extension form's record for it, and its activation record.
    """
    user.save()
    if extension_form is not None:
        extension = extension_form.save(commit=False)
        extension.user = user
        extension.save()
    registration.register(user)


def extension_form_values(extension_form, account):
    """
    The body's values for the fields the site's extension form declares (``extension_form`` may
    be None: no form, no values). Only these reach the platform.
    """
    if extension_form is None:
        return {}
    return {name: value for name, value in account.extra_fields.items() if name in extension_form.fields}


def taken_fields(queryset, **values):
    """
    The names among ``values`` (``field=value``) that some row of ``queryset`` holds, whatever the
    case, found with one query that indexes can serve.

    Django's ``iexact`` becomes ``LIKE`` or ``UPPER()``, which plain indexes cannot always serve.
    MySQL's default ``*_ci`` collations (the LMS's) compare case-insensitively with ``=``, which
    uses the column's index; elsewhere ``LOWER(field) = lower(value)`` meets an index on
    ``LOWER(field)`` (the standalone app creates those). The database, not Python, decides which
    field matched, so its collation rules hold.
    """
    if connection.vendor == "mysql":
        matches = {field: Q(**{field: value}) for field, value in values.items()}
    else:
        queryset = queryset.annotate(**{f"{field}_lower": Lower(field) for field in values})
        matches = {field: Q(**{f"{field}_lower": value.lower()}) for field, value in values.items()}
    flags = {
        f"{field}_taken": ExpressionWrapper(match, output_field=BooleanField()) for field, match in matches.items()
    }
    rows = queryset.filter(reduce(or_, matches.values())).annotate(**flags).values_list(*flags)[:len(values)]
    return sorted({field for row in rows for field, taken in zip(values, row) if taken})
