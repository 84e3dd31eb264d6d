"""
The plugin's one operation: register a learner on a site.

The REST views validate the request's shape, then call ``register_user``; everything that
creates an account or sends its email happens here and in the platform backend.
"""
import time
from functools import partial

from django.db import IntegrityError, OperationalError, transaction
from django.utils.translation import gettext_lazy as _

from tahoe_registration_plugin.backends import get_platform_backend
from tahoe_registration_plugin.data import ACTIVATION_EMAIL, SET_PASSWORD_EMAIL, RegisteredAccount
from tahoe_registration_plugin.enrollments import resolve as resolve_enrollments
from tahoe_registration_plugin.errors import AccountConflict, IdempotencyKeyReused, InvalidAccount
from tahoe_registration_plugin.logs import get_logger
from tahoe_registration_plugin.models import IdempotencyRecord, RegistrationRecord

log = get_logger(__name__)

EMAIL_NOT_SENT_WARNING = _(
    "The account was created, but its {email} email could not be sent. "
    "The learner can ask for a password reset from the site's login page."
)
NOT_ACTIVATED_WARNING = _(
    "The account was created, but could not be activated. The learner can activate it from the "
    "link of a password reset email."
)
# A transaction that loses a lock (a MySQL deadlock, a busy SQLite file) is tried again this many times in all.
TRANSACTION_ATTEMPTS = 3


def register_user(account, *, site, api_key, api_version, idempotency_key=None):
    """
    Create the account described by ``account`` (a ``data.NewAccount``) on ``site``.

    The platform's rules are applied once, before anything is written (``backend.prepare``). The
    user, its profile, its enrollments and the audit record are then written in one transaction.
    Once it has committed, the account is activated where the platform would, the registration is
    announced and its email handed over; none of these can undo the account, and a failure to hand
    the email over is returned as a warning (only logged when the caller's transaction is open).

    With an ``idempotency_key`` (a ``data.IdempotencyKey``), a registration that this API key
    already made with the same key and request body (within ``IdempotencyKey.REPLAY_WINDOW``) is returned again
    instead of being repeated; the same key with another body raises ``IdempotencyKeyReused``.

    Raises ``RegistrationRefused`` when the site's registration filter refuses it,
    ``AccountConflict`` when the username or email is taken (compared case-insensitively, and
    before any field error), including by a concurrent registration that committed first, and
    ``InvalidAccount`` when the platform's rules refuse a field.
    """
    if idempotency_key is not None:
        previous = _previous_registration(api_key, idempotency_key)
        if previous is not None:
            return previous
    backend = get_platform_backend()
    prepared = backend.prepare(site, account)
    account = prepared.account
    enrollments, enrollment_problems = resolve_enrollments(backend, site, account.enrollments)
    field_errors = {**prepared.field_errors, **({"enrollments": enrollment_problems} if enrollment_problems else {})}
    # Where the database refuses a duplicate by itself, a conflict is looked for only when the
    # request is refused anyway (a conflict answers before any field error) or the insert failed.
    looks_first = field_errors or backend.looks_for_conflicts_before_creating
    conflicts = backend.find_conflicts(account) if looks_first else ()
    if conflicts or field_errors:
        return _refuse(api_key, idempotency_key, conflicts, field_errors)

    try:
        created = _create_account(backend, site, prepared, enrollments, api_key, api_version, idempotency_key)
    except AccountConflict as error:
        # The platform found the account taken: a concurrent registration committed first.
        return _replay_or_refuse(api_key, idempotency_key, error.fields)
    except IntegrityError as error:
        # The database refused a duplicate: a concurrent registration committed first, maybe this
        # very request's twin with the same Idempotency-Key (whose answer is then this one's).
        previous = idempotency_key and _previous_registration(api_key, idempotency_key)
        if previous:
            return previous
        conflicts = _conflicts(backend, account)
        if not conflicts:
            raise
        raise AccountConflict(conflicts) from error

    user = created.user
    log.info(
        "Registered user %s on site %s with key %s through %s.", user.pk, site.domain, api_key.prefix, api_version
    )
    follow_up = partial(_after_commit, backend, site, created, prepared.after_commit)
    if transaction.get_connection().in_atomic_block:
        # The caller's transaction is still open: the follow-up waits for it, and can only log.
        transaction.on_commit(follow_up)
        return RegisteredAccount(user_id=user.pk, enrollments=enrollments)
    return RegisteredAccount(user_id=user.pk, enrollments=enrollments, warnings=follow_up())


def _create_account(backend, site, prepared, enrollments, api_key, api_version, idempotency_key):
    """Write everything in one transaction, trying again when it lost a lock to another one."""
    account = prepared.account
    attempt = 1
    while True:
        try:
            with transaction.atomic():
                created = backend.create_account(site, prepared)
                backend.enroll(site, created, enrollments)
                RegistrationRecord.objects.record(
                    site=site, user=created.user, api_key=api_key, api_version=api_version, account=account,
                    enrollments=enrollments,
                )
                if idempotency_key is not None:
                    IdempotencyRecord.objects.record(
                        api_key=api_key, idempotency_key=idempotency_key, user=created.user,
                    )
            return created
        except OperationalError:
            if attempt == TRANSACTION_ATTEMPTS or transaction.get_connection().in_atomic_block:
                raise
            log.warning("Registration transaction lost a lock (attempt %s); trying again.", attempt)
            time.sleep(0.05 * attempt)
            attempt += 1


def _refuse(api_key, idempotency_key, conflicts, field_errors):
    """
    The one place that decides between 409 and 400: a taken username or email is a conflict
    (unless it is this very request's earlier try), whatever else is wrong with the request.
    """
    if conflicts:
        return _replay_or_refuse(api_key, idempotency_key, conflicts)
    raise InvalidAccount(field_errors)


def _replay_or_refuse(api_key, idempotency_key, conflicts):
    """
    The account is taken: by this very request's earlier try (a retry with the same
    Idempotency-Key, maybe concurrent), whose outcome is returned again, or else by someone else.
    """
    previous = idempotency_key and _previous_registration(api_key, idempotency_key)
    if previous:
        return previous
    raise AccountConflict(conflicts)


def _conflicts(backend, account):
    """
    Fields already taken by any account, or by one that the API registered.

    The second part matters once the database has refused an insert: the registration records'
    unique digests may be what refused it (a concurrent registration, or an account whose
    username or email has changed since).
    """
    return sorted(set(backend.find_conflicts(account)) | RegistrationRecord.objects.identity_conflicts(account))


def _previous_registration(api_key, idempotency_key):
    """The registration this key already made with this Idempotency-Key, or None."""
    previous = IdempotencyRecord.objects.current(api_key, idempotency_key.key)
    if previous is None:
        return None
    if previous.fingerprint != idempotency_key.fingerprint:
        raise IdempotencyKeyReused()
    return RegisteredAccount(user_id=previous.user_id, enrollments=RegistrationRecord.objects.enrollments_of(
        previous.user_id
    ))


def _after_commit(backend, site, created, after_commit):
    """
    Activate the account where the platform would, announce the registration, then hand its email
    over. Each runs on committed rows (receivers of the activation see an account that stays); a
    failure is logged and none is raised. Returns the warnings the caller should read.
    """
    user = created.user
    warnings = []
    if after_commit.activate:
        try:
            created.registration.activate()
        except Exception:  # pylint: disable=broad-except
            log.exception("Could not activate the account of user %s on site %s.", user.pk, site.domain)
            warnings.append(str(NOT_ACTIVATED_WARNING))
    try:
        backend.announce_registration(site, created)
    except Exception:  # pylint: disable=broad-except
        log.exception("Could not announce the registration of user %s on site %s.", user.pk, site.domain)
    send = {
        ACTIVATION_EMAIL: backend.send_activation_email,
        SET_PASSWORD_EMAIL: backend.send_set_password_email,
    }.get(after_commit.email)
    if send is None:
        return tuple(warnings)
    try:
        send(site, created)
    except Exception:  # pylint: disable=broad-except
        log.exception("Could not send the %s email of user %s on site %s.", after_commit.email, user.pk, site.domain)
        warnings.append(EMAIL_NOT_SENT_WARNING.format(email=after_commit.email))
    return tuple(warnings)
