"""What a registration made with an ``Idempotency-Key`` answered, kept for its retries."""
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tahoe_registration_plugin.data import IdempotencyKey
from tahoe_registration_plugin.models.api_keys import ApiKey


class IdempotencyRecordQuerySet(models.QuerySet):

    def record(self, *, api_key, idempotency_key, user):
        """Keep what ``api_key``'s request with ``idempotency_key`` (a ``data.IdempotencyKey``) created."""
        return self.create(
            api_key=api_key, key_digest=idempotency_key_digest(idempotency_key.key),
            fingerprint=idempotency_key.fingerprint, user=user,
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

    .. no_pii: A digest of a caller's opaque key, a digest of the request body and the account it created.
    """

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    key_digest = models.CharField(max_length=64, help_text=_("SHA-256 of the Idempotency-Key."))
    fingerprint = models.CharField(max_length=64, help_text=_("SHA-256 of the request body."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now, db_index=True)

    objects = IdempotencyRecordQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key_digest"], name="tahoe_registration_idempotency_key_digest"),
        ]

    def __str__(self):
        return f"Idempotency-Key {self.key_digest[:8]}… of key {self.api_key_id}"
