"""
The plugin's one operation: register a learner on a site.

The REST views validate the request's shape, then call ``register_user``; everything that
creates an account or sends its email happens here and in the platform backend.
"""
import logging
from functools import partial

from django.db import IntegrityError, transaction

from tahoe_registration_plugin.backends import get_platform_backend
from tahoe_registration_plugin.data import RegisteredAccount
from tahoe_registration_plugin.errors import AccountConflict, InvalidAccount
from tahoe_registration_plugin.models import RegistrationRecord

log = logging.getLogger(__name__)

EMAIL_NOT_SENT_WARNING = (
    "The account was created, but its {email} email could not be sent. "
    "The learner can ask for a password reset from the site's login page."
)


def register_user(request, account, *, site, api_key, api_version):
    """
    Create the account described by ``account`` (a ``data.NewAccount``) on ``site``.

    The user, its profile, what ties it to the site and the audit record are written in one
    transaction: all of them exist, or none. The activation or set-password email is sent once
    that transaction has committed; if sending fails, the account stays and the returned
    ``RegisteredAccount`` carries a warning (when the caller's own transaction is still open, the
    email waits for it and a failure is only logged).

    Raises ``InvalidAccount`` when the platform's rules refuse a field, and ``AccountConflict``
    when the username or email is taken (compared case-insensitively), including by a concurrent
    registration that committed first.
    """
    backend = get_platform_backend()
    # Conflicts first: the platform's own validation also refuses a taken email, but as a 400.
    conflicts = backend.find_conflicts(account)
    if conflicts:
        raise AccountConflict(conflicts)
    field_errors = backend.validate(account)
    if field_errors:
        raise InvalidAccount(field_errors)

    try:
        with transaction.atomic():
            user = backend.create_account(request, site, account)
            RegistrationRecord.objects.create(site=site, user=user, api_key=api_key, api_version=api_version)
    except IntegrityError:
        # Another registration took the username or the email between our check and our insert.
        conflicts = backend.find_conflicts(account)
        if conflicts:
            raise AccountConflict(conflicts) from None
        raise

    log.info(
        "Registered user %s on site %s with key %s through %s.", user.pk, site.domain, api_key.prefix, api_version
    )
    warnings = []
    transaction.on_commit(partial(_after_commit, backend, request, site, user, account, warnings))
    return RegisteredAccount(user_id=user.pk, warnings=tuple(warnings))


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
