"""
The plugin's one operation: register a learner on a site.

The REST views validate the request's shape, then call ``register_user``; everything that
creates an account or sends its email happens here and in the platform backend.
"""
import logging
import time
from functools import partial

from django.db import IntegrityError, OperationalError, transaction

from tahoe_registration_plugin.backends import get_platform_backend
from tahoe_registration_plugin.data import RegisteredAccount
from tahoe_registration_plugin.errors import AccountConflict, IdempotencyKeyReused, InvalidAccount
from tahoe_registration_plugin.models import IdempotencyRecord, RegistrationRecord, identity_digest

log = logging.getLogger(__name__)

EMAIL_NOT_SENT_WARNING = (
    "The account was created, but its {email} email could not be sent. "
    "The learner can ask for a password reset from the site's login page."
)
# A transaction that loses a lock (a MySQL deadlock, a busy SQLite file) is tried again this many times in all.
TRANSACTION_ATTEMPTS = 3


def register_user(request, account, *, site, api_key, api_version, idempotency_key=None):
    """
    Create the account described by ``account`` (a ``data.NewAccount``) on ``site``.

    The user, its profile, what ties it to the site and the audit record are written in one
    transaction: all of them exist, or none. The activation or set-password email is sent once
    that transaction has committed; if sending fails, the account stays and the returned
    ``RegisteredAccount`` carries a warning (when the caller's own transaction is still open, the
    email waits for it and a failure is only logged).

    With an ``idempotency_key`` (a ``data.IdempotencyKey``), a registration that this API key
    already made with the same key and request body in the last 24 hours is returned again
    instead of being repeated; the same key with another body raises ``IdempotencyKeyReused``.

    Raises ``InvalidAccount`` when the platform's rules refuse a field, and ``AccountConflict``
    when the username or email is taken (compared case-insensitively), including by a concurrent
    registration that committed first: the audit record's unique digests make the database
    refuse the second of two.
    """
    if idempotency_key is not None:
        previous = _previous_registration(api_key, idempotency_key)
        if previous is not None:
            return previous
    backend = get_platform_backend()
    # Conflicts first: the platform's own validation also refuses a taken email, but as a 400.
    conflicts = backend.find_conflicts(account)
    if conflicts:
        return _replay_or_refuse(api_key, idempotency_key, conflicts)
    field_errors = backend.validate(account)
    if field_errors:
        raise InvalidAccount(field_errors)

    try:
        user = _create_account(backend, request, site, account, api_key, api_version, idempotency_key)
    except AccountConflict as error:
        # The platform found the conflict itself: a concurrent registration committed first.
        return _replay_or_refuse(api_key, idempotency_key, error.fields)
    except IntegrityError:
        # The database refused a duplicate: a concurrent registration committed first.
        conflicts = _conflicts(backend, account)
        if not conflicts:
            raise
        return _replay_or_refuse(api_key, idempotency_key, conflicts)

    log.info(
        "Registered user %s on site %s with key %s through %s.", user.pk, site.domain, api_key.prefix, api_version
    )
    warnings = []
    transaction.on_commit(partial(_after_commit, backend, request, site, user, account, warnings))
    return RegisteredAccount(user_id=user.pk, warnings=tuple(warnings))


def _create_account(backend, request, site, account, api_key, api_version, idempotency_key):
    """Write everything in one transaction, trying again when it lost a lock to another one."""
    attempt = 1
    while True:
        try:
            with transaction.atomic():
                user = backend.create_account(request, site, account)
                RegistrationRecord.objects.create(
                    site=site, user=user, api_key=api_key, api_version=api_version,
                    username_digest=identity_digest(account.username), email_digest=identity_digest(account.email),
                )
                if idempotency_key is not None:
                    IdempotencyRecord.objects.create(
                        api_key=api_key, key=idempotency_key.key, fingerprint=idempotency_key.fingerprint, user=user
                    )
            return user
        except OperationalError:
            if attempt == TRANSACTION_ATTEMPTS or transaction.get_connection().in_atomic_block:
                raise
            log.warning("Registration transaction lost a lock (attempt %s); trying again.", attempt)
            time.sleep(0.05 * attempt)
            attempt += 1


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
    return RegisteredAccount(user_id=previous.user_id)


def _after_commit(backend, request, site, user, account, warnings):
    """Announce the registration, then send its email; a failure is logged and reported, never raised."""
    try:
        backend.announce_registration(request, site, user)
    except Exception:  # pylint: disable=broad-except
        log.exception("Could not announce the registration of user %s on site %s.", user.pk, site.domain)
    if account.sends_activation_email:
        kind, send = "activation", backend.send_activation_email
    elif not account.has_password:
        kind, send = "set-password", backend.send_set_password_email
    else:
        return
    try:
        send(request, site, user)
    except Exception:  # pylint: disable=broad-except
        log.exception("Could not send the %s email of user %s on site %s.", kind, user.pk, site.domain)
        warnings.append(EMAIL_NOT_SENT_WARNING.format(email=kind))
