"""
The plugin's one operation: register a learner on a site.

The REST views validate the request's shape, then call ``register_user``; everything that
creates an account or sends its email happens here and in the platform backend.
"""
from django.db import IntegrityError, transaction

from tahoe_registration_plugin.backends import get_platform_backend
from tahoe_registration_plugin.data import RegisteredAccount
from tahoe_registration_plugin.enrollments import SiteCourses
from tahoe_registration_plugin.errors import AccountConflict, IdempotencyKeyReused, InvalidAccount
from tahoe_registration_plugin.logs import get_logger
from tahoe_registration_plugin.models import IdempotencyRecord, RegistrationRecord, same_body
from tahoe_registration_plugin.transactions import in_one_transaction

log = get_logger(__name__)


def register_user(account, *, site, api_key, api_version, idempotency_key=None):
    """
    Create the account described by ``account`` on ``site``, with its enrollments.

    The platform's rules are applied once, before anything is written. The user, its profile, its
    enrollments and the audit record are then written in one transaction. Once it has committed,
    the backend activates the account where the platform would, announces the registration and
    hands its email over; none of these can undo the account, and a failure to hand the email
    over is returned as a warning (only logged when the caller's transaction is open).

    Args:
        account (data.NewAccount): the validated request.
        site (Site): the site the account is registered on.
        api_key (models.ApiKey): the key of the system registering it (recorded in the audit trail).
        api_version (str): ``"v1"`` or ``"v2"`` (recorded in the audit trail).
        idempotency_key (data.IdempotencyKey): the caller's retry key, if any: a registration this
            API key already made with the same key and body (within ``IdempotencyKey.REPLAY_WINDOW``)
            is answered again instead of being repeated.

    Returns:
        data.RegisteredAccount: the new account's id, its enrollments, and warnings.

    Raises:
        RegistrationRefused: the site's registration filter refuses it.
        AccountConflict: the username or email is taken (compared case-insensitively, and before
            any field error), also by a concurrent registration that committed first.
        InvalidAccount: the platform's rules refuse a field or an enrollment.
        IdempotencyKeyReused: the Idempotency-Key came with another body before.
        PlatformUnavailable: the platform backend cannot be loaded.
        DatabaseError: the database failed (after ``TRANSACTION_ATTEMPTS`` tries on a lost lock);
            nothing was written.
    """
    if idempotency_key is not None:
        previous = _previous_registration(api_key, idempotency_key)
        if previous is not None:
            return previous
    backend = get_platform_backend()
    try:
        prepared, created, enrollments = _register(backend, account, site, api_key, api_version, idempotency_key)
    except AccountConflict as conflict:
        # The one place that decides "replay or conflict": the account is taken by this very
        # request's earlier try (a retry with the same Idempotency-Key, maybe concurrent), whose
        # answer is returned again, or else by someone else.
        previous = idempotency_key and _previous_registration(api_key, idempotency_key)
        if previous:
            return previous
        if not conflict.fields:
            # The database refused the Idempotency-Key's row, and no earlier try holds it: the
            # refusal was no conflict after all.
            raise conflict.__cause__
        raise
    user = created.user
    log.info(
        "Registered user %s on site %s with key %s through %s.", user.pk, site.domain, api_key.prefix, api_version
    )
    if transaction.get_connection().in_atomic_block:
        # The caller's transaction is still open: the follow-up waits for it, and can only log.
        transaction.on_commit(lambda: backend.after_commit(site, prepared, created))
        return RegisteredAccount(user_id=user.pk, enrollments=enrollments)
    return RegisteredAccount(
        user_id=user.pk, enrollments=enrollments, warnings=backend.after_commit(site, prepared, created),
    )


def _register(backend, account, site, api_key, api_version, idempotency_key):
    """
    Prepare, refuse or write the account; return ``(prepared, created, enrollments)``. Every way
    of finding the account taken (before writing, by the platform, by the database) is an
    ``AccountConflict``.
    """
    prepared = backend.prepare(site, account)
    account = prepared.account
    enrollments, enrollment_problems = (
        SiteCourses(backend, site).resolve(account.enrollments) if account.enrollments else ((), [])
    )
    field_errors = {**prepared.field_errors, **({"enrollments": enrollment_problems} if enrollment_problems else {})}
    # Where the database refuses a duplicate by itself, a conflict is looked for only when the
    # request is refused anyway (a conflict answers before any field error) or the insert failed.
    looks_first = field_errors or backend.looks_for_conflicts_before_creating
    conflicts = backend.find_conflicts(account) if looks_first else ()
    if conflicts:
        raise AccountConflict(conflicts)
    if field_errors:
        raise InvalidAccount(field_errors)
    try:
        created = _write(backend, site, prepared, enrollments, api_key, api_version, idempotency_key)
    except IntegrityError as error:
        # The database refused a duplicate: a concurrent registration committed first, maybe this
        # very request's twin with the same Idempotency-Key (whose answer is then this one's).
        conflicts = _conflicts(backend, account)
        if conflicts or idempotency_key is not None:
            raise AccountConflict(conflicts) from error
        raise
    return prepared, created, enrollments


def _write(backend, site, prepared, enrollments, api_key, api_version, idempotency_key):
    """Write the account, its enrollments and records in one transaction (``transactions``)."""
    def write():
        created = backend.create_account(site, prepared)
        backend.enroll(created.user, enrollments)
        RegistrationRecord.objects.record(
            site=site, user=created.user, api_key=api_key, api_version=api_version, account=prepared.account,
            enrollments=enrollments,
        )
        if idempotency_key is not None:
            IdempotencyRecord.objects.record(api_key=api_key, idempotency_key=idempotency_key, user=created.user)
        return created

    return in_one_transaction(write, "Registration")


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
    if not same_body(previous.fingerprint, idempotency_key.body):
        raise IdempotencyKeyReused()
    return RegisteredAccount(user_id=previous.user_id, enrollments=RegistrationRecord.objects.enrollments_of(
        previous.user_id
    ))
