"""API keys that third-party systems hold, and the audit trail of the accounts they create."""
import datetime
import hashlib
import hmac

from django.conf import settings
from django.contrib.sites.models import Site
from django.db import models
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from tahoe_registration_plugin import keys
from tahoe_registration_plugin.data import Enrollment

# How stale ``last_used_at`` may get before a request writes it again.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class ApiKeyQuerySet(models.QuerySet):
    """Creation and lookup of keys; secrets leave only through the return values here."""

    def create_key(self, *, site, name, description="", created_by=None, expires_at=None):
        """Create a key; return ``(api_key, secret)``. The secret is not stored and cannot be shown again."""
        api_key = self.model(
            site=site, name=name, description=description, created_by=created_by, expires_at=expires_at
        )
        secret = api_key.assign_new_secret()
        api_key.save(force_insert=True)
        return api_key, secret

    def import_legacy_token(self, *, site, token, name, description="", created_by=None):
        """Register a Tahoe-era 40-hex DRF token for ``site``, so its holder keeps working unchanged."""
        if not keys.is_legacy_token(token):
            raise ValueError("A legacy Tahoe token is 40 lowercase hexadecimal characters.")
        return self.create(
            site=site, name=name, description=description, created_by=created_by,
            prefix=keys.prefix_of(token), key_hash=keys.hash_key(token), is_legacy=True,
        )

    def get_by_secret(self, secret):
        """The key whose secret this is, or None. One indexed query, whatever the number of keys."""
        key_hash = keys.hash_key(secret)
        api_key = self.select_related("site").filter(key_hash=key_hash).first()
        # The index found it by hash; compare again in constant time so that no timing of ours
        # depends on how much of the hash matched.
        if api_key is None or not hmac.compare_digest(api_key.key_hash, key_hash):
            return None
        return api_key


class ApiKey(models.Model):
    """
    A key that lets a third-party system register learners on one site.

    .. no_pii: Holds only a hash of the secret, its prefix and the key's metadata.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="tahoe_registration_api_keys")
    name = models.CharField(max_length=100, help_text="Who holds this key, e.g. the name of the CRM.")
    description = models.TextField(blank=True)
    prefix = models.CharField(max_length=keys.PREFIX_LENGTH, editable=False, help_text="The key's first characters.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_legacy = models.BooleanField(default=False, editable=False, help_text="Imported Tahoe token.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Leave empty for a key that does not expire.")
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The admin's add form's one-time token: a form sent twice (a refresh, a double click) is one key.
    creation_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "API key"
        ordering = ["-created"]

    def __str__(self):
        return f"{self.prefix}… ({self.name}, {self.site.domain})"

    def assign_new_secret(self, seed=None):
        """Give this (unsaved) key the secret ``seed`` makes (a fresh one by default); return it."""
        secret, self.prefix = keys.key_from_seed(seed or keys.new_seed())
        self.key_hash = keys.hash_key(secret)
        return secret

    def rotate(self, *, grace, created_by=None, seed=None):
        """
        Create this key's replacement (same site, name and description) and let this one expire
        after ``grace`` (a timedelta), unless it already expires sooner; return ``(new_key, secret)``.
        """
        replacement = ApiKey(site=self.site, name=self.name, description=self.description, created_by=created_by)
        secret = replacement.assign_new_secret(seed)
        replacement.save(force_insert=True)
        expires_at = timezone.now() + grace
        if self.expires_at is None or self.expires_at > expires_at:
            self.expires_at = expires_at
            self.save(update_fields=["expires_at"])
        return replacement, secret

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def revoke(self):
        if not self.is_revoked:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def record_use(self):
        """Write ``last_used_at``, at most once per ``LAST_USED_RESOLUTION``, not on every request."""
        now = timezone.now()
        if self.last_used_at is not None and now - self.last_used_at < LAST_USED_RESOLUTION:
            return
        stale = models.Q(last_used_at__isnull=True) | models.Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        # The condition in the UPDATE keeps concurrent workers from all writing it.
        ApiKey.objects.filter(stale, pk=self.pk).update(last_used_at=now)
        self.last_used_at = now


def identity_digest(value):
    """A username's or email's case-insensitive fingerprint: equal for values equal but for case."""
    return hashlib.sha256(value.lower().encode("utf-8")).hexdigest()


class RegistrationRecordQuerySet(models.QuerySet):

    def enrollments_of(self, user_id):
        """The enrollments (``data.Enrollment``) the API made with the account ``user_id``."""
        made = self.filter(user_id=user_id).values_list("enrollments", flat=True).first() or []
        return tuple(Enrollment(CourseKey.from_string(item["course_id"]), item["mode"]) for item in made)

    def identity_conflicts(self, account):
        """The fields of ``account`` that an account registered through the API already holds."""
        taken = self.filter(
            models.Q(username_digest=identity_digest(account.username))
            | models.Q(email_digest=identity_digest(account.email))
        ).values_list("username_digest", "email_digest")
        conflicts = set()
        for username_digest, email_digest in taken:
            if username_digest == identity_digest(account.username):
                conflicts.add("username")
            if email_digest == identity_digest(account.email):
                conflicts.add("email")
        return conflicts


class RegistrationRecord(models.Model):
    """
    One account created through the API: on which site, with which key, through which version.

    Its unique digests of the lower-cased username and email are what make two concurrent
    registrations of the same person create one account: the database refuses the second.

    .. pii: SHA-256 digests of the lower-cased username and email (pseudonymous; the user row
       holds both in clear). Blanked when the LMS retires the user (``signals.retire_user``, on
       ``USER_RETIRE_LMS_MISC``); deleted with the user.
    .. pii_types: username, email_address
    .. pii_retirement: local_api
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    api_key = models.ForeignKey(ApiKey, null=True, on_delete=models.SET_NULL, related_name="registrations")
    api_version = models.CharField(max_length=8)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    username_digest = models.CharField(max_length=64, unique=True, null=True, editable=False)
    email_digest = models.CharField(max_length=64, unique=True, null=True, editable=False)
    # The enrollments made with the account: [{"course_id": ..., "mode": ...}].
    enrollments = models.JSONField(default=list, blank=True, editable=False)

    objects = RegistrationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"User {self.user_id} on {self.site_id} ({self.api_version})"


class SiteAdministrator(models.Model):
    """
    A user who administers a site's API keys and registration records (granted by a superuser).

    .. no_pii: Ties a user to a site.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="tahoe_registration_administered_sites")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    granted_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "site"], name="tahoe_registration_one_grant")]

    def __str__(self):
        return f"{self.user} administers {self.site.domain}"


def administered_site_ids(user):
    """The ids of the sites ``user`` administers, or None for a superuser (every site)."""
    if user.is_superuser:
        return None
    return set(SiteAdministrator.objects.filter(user=user).values_list("site_id", flat=True))


IDEMPOTENCY_TTL = datetime.timedelta(hours=24)


class IdempotencyRecordQuerySet(models.QuerySet):

    def expired(self):
        return self.filter(created__lt=timezone.now() - IDEMPOTENCY_TTL)

    def current(self, api_key, key):
        """The live record of ``key`` for ``api_key``, or None; an expired one is removed."""
        records = self.filter(api_key=api_key, key_digest=idempotency_key_digest(key))
        records.expired().delete()
        return records.first()


def idempotency_key_digest(key):
    """
    An ``Idempotency-Key``'s fingerprint. Keys are compared exactly (case and spaces count): a
    digest compares so on every database, where MySQL's collations would fold case and trailing spaces.
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class IdempotencyRecord(models.Model):
    """
    The outcome of a registration made with an ``Idempotency-Key``, kept 24 hours for retries.

    .. no_pii: A digest of a caller's opaque key, a digest of the request body and the account it created.
    """

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    key_digest = models.CharField(max_length=64, help_text="SHA-256 of the Idempotency-Key.")
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request body.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now, db_index=True)

    objects = IdempotencyRecordQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key_digest"], name="tahoe_registration_idempotency_key_digest"),
        ]

    def __str__(self):
        return f"Idempotency-Key {self.key_digest[:8]}… of key {self.api_key_id}"
