"""The interface every platform backend implements, and what backends share."""
from functools import reduce
from operator import or_

from crum import get_current_request
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import Lower
from django.http import HttpRequest

# The platform's choice of a default mode (enrollments.api._default_course_mode): its default slug,
# then audit, then honor; else the course's first mode.
DEFAULT_MODE_PREFERENCE = ("audit", "honor")


class PlatformBackend:
    """
    Create accounts and send their emails the way the platform does.

    ``api.register_user`` calls ``prepare`` once (the platform's rules, applied before anything is
    written) and ``find_conflicts``, then ``create_account`` inside its transaction; once that has
    committed, the account is activated where ``PreparedAccount.after_commit`` says so, then
    ``announce_registration`` and the email it names run, on the ``CreatedAccount`` it returned.
    """

    # Whether ``find_conflicts`` must run before every creation: True unless the database refuses
    # every account ``find_conflicts`` would find taken (then a conflict surfaces as an IntegrityError).
    looks_for_conflicts_before_creating = True

    @classmethod
    def missing_platform_names(cls):
        """The platform modules and names this backend needs but cannot load (``manage.py check``)."""
        return []

    def prepare(self, site, account):
        """Apply the platform's rules to ``account`` (a ``data.NewAccount``); return a ``data.PreparedAccount``."""
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

    def course_modes(self, course_key):
        """The enrollment modes the course offers now, or None when there is no such course."""
        raise NotImplementedError

    def default_mode(self, modes):
        """The mode an enrollment gets when none was asked for, among the course's ``modes``."""
        return next((mode for mode in DEFAULT_MODE_PREFERENCE if mode in modes), modes[0])

    def enroll(self, site, created, enrollments):
        """
        Enroll the new account in each of ``enrollments`` (``data.Enrollment``, modes resolved),
        inside the caller's transaction. Raises ``InvalidAccount`` naming the item the platform refuses.
        """
        raise NotImplementedError

    def announce_registration(self, site, created):
        """Tell the rest of the platform that the account was created (signals, events), once committed."""
        raise NotImplementedError

    def send_activation_email(self, site, created):
        """Hand over the email whose link activates the account."""
        raise NotImplementedError

    def send_set_password_email(self, site, created):
        """Hand over the email whose link lets the learner choose a password (and activates the account)."""
        raise NotImplementedError


def extension_form_data(unbound_form, account):
    """
    The body's values for the fields a registration extension form declares, and nothing else.

    ``unbound_form`` is an instance of the site's extension form built without data (as the
    platform's own registration form factory builds one), read only for its field names.
    """
    return {name: value for name, value in account.extra_fields.items() if name in unbound_form.fields}


class SiteRequest(HttpRequest):
    """A request for a site over HTTPS, where there is no request being answered."""

    def __init__(self, site):
        super().__init__()
        self.META.update({"SERVER_NAME": site.domain, "SERVER_PORT": "443"})
        self.site = site
        self.user = AnonymousUser()

    def _get_scheme(self):
        # A bare HttpRequest says "http"; the platform builds its emails' links from is_secure().
        return "https"


def current_request(site):
    """
    The request being answered (the platform's helpers find it through crum, as the LMS's own
    ``request_password_change`` does), or, outside one (a command, a task), a ``SiteRequest``.
    """
    return get_current_request() or SiteRequest(site)


def platform_setting(name, default):
    """A platform flag: a top-level setting from Ulmo on, a ``FEATURES`` key before."""
    return getattr(django_settings, name, getattr(django_settings, "FEATURES", {}).get(name, default))


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
