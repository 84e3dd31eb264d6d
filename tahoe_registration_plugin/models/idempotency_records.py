"""
What a registration made with an ``Idempotency-Key`` answered, kept for its retries.

The request body is kept as a fingerprint keyed with the project's ``SECRET_KEY`` (an HMAC), not
as a bare hash: the body holds the password, and a bare hash would let whoever reads the
database test password guesses offline, far faster than the site's password hasher allows.
"""
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from tahoe_registration_plugin.data import IdempotencyKey
from tahoe_registration_plugin.models.api_keys import ApiKey

FINGERPRINT_SALT = "tahoe_registration_plugin.idempotency_records.body_fingerprint"


class IdempotencyRecordQuerySet(models.QuerySet):

    def record(self, *, api_key, idempotency_key, user=None, enrollment_call=None):
        """
        Keep what ``api_key``'s request with ``idempotency_key`` (a ``data.IdempotencyKey``) did:
        the account a registration created, or the enrollments call whose records answer it again.
        """
        return self.create(
            api_key=api_key, key_digest=idempotency_key_digest(idempotency_key.key),
            fingerprint=body_fingerprint(idempotency_key.body), user=user, enrollment_call=enrollment_call,
        )

    def expired(self):
        return self.filter(created__lt=timezone.now() - IdempotencyKey.REPLAY_WINDOW)

    def current(self, api_key, key):
        """The live record of ``key`` for ``api_key``, or None; an expired one is removed."""
        record = self.filter(api_key=api_key, key_digest=idempotency_key_digest(key)).first()
        if record is not None and record.created < timezone.now() - IdempotencyKey.REPLAY_WINDOW:
            record.delete()  # so that the key can be used again
            return None
        return record


def body_fingerprint(body, secret=None):
    """The stored fingerprint of a request body: an HMAC-SHA256 keyed with ``secret`` (``SECRET_KEY``)."""
    return salted_hmac(FINGERPRINT_SALT, body, secret=secret, algorithm="sha256").hexdigest()


def same_body(fingerprint, body):
    """Whether ``body`` is the one ``fingerprint`` was made of, also under a ``SECRET_KEY`` being rotated out."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(constant_time_compare(fingerprint, body_fingerprint(body, secret)) for secret in secrets)


def idempotency_key_digest(key):
    """
    An ``Idempotency-Key``'s fingerprint. Keys are compared exactly (case and spaces count): a
    digest compares so on every database, where MySQL's collations would fold case and trailing spaces.
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class IdempotencyRecord(models.Model):
    """
    The outcome of a registration made with an ``Idempotency-Key``, kept for retries
    during ``IdempotencyKey.REPLAY_WINDOW``.

    .. no_pii: A digest of a caller's opaque key, a keyed digest of the request body, and the account it
       created or the enrollments call it made.
    """

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+", verbose_name=_("API key"))
    key_digest = models.CharField(max_length=64, help_text=_("SHA-256 of the Idempotency-Key."))
    fingerprint = models.CharField(
        max_length=64, help_text=_("HMAC-SHA256 of the request body, keyed with SECRET_KEY."),
    )
    # The account a registration created; None for an enrollments call.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    # The enrollments call (``EnrollmentRecord.call_id``) whose records answer a retry; None for a registration.
    enrollment_call = models.UUIDField(null=True, blank=True, editable=False)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    objects = IdempotencyRecordQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key_digest"], name="tahoe_registration_idempotency_key_digest"),
        ]

    def __str__(self):
        return f"Idempotency-Key {self.key_digest[:8]}… of key {self.api_key_id}"
