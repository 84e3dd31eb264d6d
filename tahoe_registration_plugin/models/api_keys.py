"""
The keys third-party systems hold, each scoped to one site.

Authentication reads keys through ``key_copies``: each worker keeps a copy of a key for a few
seconds, so the usual request makes no database query for its key; every change made through the
ORM (a save, a delete, ``revoke``, any ``update``) is forgotten by this process's copies at once,
and by every other worker's within ``key_copies.COPY_SECONDS``. Expiry is checked on each request
against the copy's ``expires_at``.
"""
import datetime
import time

from django.conf import settings
from django.contrib.sites.models import Site
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tahoe_registration_plugin import keys
from tahoe_registration_plugin import scopes as scopes_module
from tahoe_registration_plugin.models.key_copies import copies

# How stale ``last_used_at`` may get before a request writes it again.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class ApiKeyQuerySet(models.QuerySet):
    """Creation and lookup of keys; secrets leave only through the return values here."""

    def create_key(self, *, site, name, description="", created_by=None, expires_at=None,
                   scopes=scopes_module.DEFAULT):
        """Create a key; return ``(api_key, secret)``. The secret is not stored and cannot be shown again."""
        api_key = self.model(
            site=site, name=name, description=description, created_by=created_by, expires_at=expires_at,
            scopes=scopes_module.joined(scopes),
        )
        secret = api_key.assign_new_secret()
        api_key.save(force_insert=True)
        return api_key, secret

    def import_legacy_token(self, *, site, token, name, description="", created_by=None):
        # A Tahoe-era token could register and enroll: it keeps exactly that.
        """Register a Tahoe-era 40-hex DRF token for ``site``, so its holder keeps working unchanged."""
        if not keys.is_legacy_token(token):
            raise ValueError("A legacy Tahoe token is 40 lowercase hexadecimal characters.")
        return self.create(
            site=site, name=name, description=description, created_by=created_by,
            prefix=keys.prefix_of(token), key_hash=keys.hash_key(token), is_legacy=True,
            scopes=scopes_module.joined(scopes_module.BEFORE_SCOPES),
        )

    def get_by_secret(self, secret):
        """
        The key whose secret this is, or None. One indexed query, whatever the number of keys.

        The lookup is by the secret's SHA-256: how long it takes tells nothing about the secret.
        """
        return self.select_related("site").filter(key_hash=keys.hash_key(secret)).first()

    def get_for_authentication(self, secret):
        """``get_by_secret``, answered from this worker's copy of the key while it is fresh."""
        key_hash = keys.hash_key(secret)
        api_key = copies.get(key_hash)
        if api_key is not None:
            return api_key
        generation, read_at = copies.generation, time.monotonic()
        api_key = self.get_by_secret(secret)
        if api_key is not None:
            copies.keep(key_hash, api_key, read_at=read_at, generation=generation)
        return api_key

    def revoke(self):
        """Revoke the keys not revoked yet; return how many."""
        return self.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())

    def update(self, **kwargs):
        key_hashes = list(self.values_list("key_hash", flat=True))
        count = super().update(**kwargs)
        copies.forget(key_hashes)
        return count


class ApiKey(models.Model):
    """
    A key that lets a third-party system register learners on one site.

    .. no_pii: Holds only a hash of the secret, its prefix and the key's metadata.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="tahoe_registration_api_keys")
    name = models.CharField(max_length=100, help_text=_("Who holds this key, e.g. the name of the CRM."))
    description = models.TextField(blank=True)
    prefix = models.CharField(max_length=keys.PREFIX_LENGTH, editable=False, help_text=_("The key's first characters."))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_legacy = models.BooleanField(default=False, editable=False, help_text=_("Imported Tahoe token."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True, help_text=_("Leave empty for a key that does not expire."))
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    scopes = models.CharField(
        max_length=64, default=scopes_module.joined(scopes_module.DEFAULT),
        help_text=_("What the key may do, comma-separated: register, enroll, read."),
    )
    # The admin's add form's one-time token: a form sent twice (a refresh, a double click) is one key.
    creation_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # When the admin's "key created" page showed the new key's secret: set by the one request that
    # shows it (``claim_secret_display``), however many load the page at once. The secret itself is
    # stored nowhere.
    secret_shown_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
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
        replacement = ApiKey(site=self.site, name=self.name, description=self.description, created_by=created_by,
                             scopes=self.scopes)
        secret = replacement.assign_new_secret(seed)
        replacement.save(force_insert=True)
        expires_at = timezone.now() + grace
        if self.expires_at is None or self.expires_at > expires_at:
            self.expires_at = expires_at
            self.save(update_fields=["expires_at"])
        return replacement, secret

    @property
    def scope_names(self):
        """The key's scopes, as a tuple of names."""
        return scopes_module.parse(self.scopes)

    def allows(self, scope):
        return scope in self.scope_names

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def matches(self, secret):
        """Whether ``secret`` is this key's."""
        return keys.hash_key(secret) == self.key_hash

    def claim_secret_display(self):
        """
        Whether this request is the one to show the new key's secret: true for exactly one caller,
        however many ask at once, as the database decides with one conditional UPDATE.
        """
        now = timezone.now()
        # The plain QuerySet.update: this is no change the workers' copies of the key must follow.
        claimed = models.QuerySet.update(ApiKey.objects.filter(pk=self.pk, secret_shown_at__isnull=True),
                                         secret_shown_at=now)
        if claimed:
            self.secret_shown_at = now
        return claimed == 1

    def revoke(self):
        if not self.is_revoked:
            ApiKey.objects.filter(pk=self.pk).revoke()
            self.refresh_from_db(fields=["revoked_at"])

    def save(self, *args, **kwargs):
        changed = not self._state.adding
        super().save(*args, **kwargs)
        if changed:
            copies.forget([self.key_hash])

    def record_use(self):
        """
        Write ``last_used_at``, at most once per ``LAST_USED_RESOLUTION``, not on every request.

        The copy authentication read holds the value of a few seconds ago, and this worker's own writes.
        """
        now = timezone.now()
        if self.last_used_at is not None and now - self.last_used_at < LAST_USED_RESOLUTION:
            return
        stale = models.Q(last_used_at__isnull=True) | models.Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        # The condition in the UPDATE keeps concurrent workers from all writing it; the plain
        # QuerySet.update, as the time of use is no change the workers' copies must follow.
        models.QuerySet.update(ApiKey.objects.filter(stale, pk=self.pk), last_used_at=now)
        self.last_used_at = now
        copies.note_use(self.key_hash, now)


@receiver(post_delete, sender=ApiKey, dispatch_uid="tahoe_registration_forget_deleted_api_key")
def forget_deleted_key(sender, instance, **kwargs):  # pylint: disable=unused-argument
    """Also for keys deleted in bulk or with their site."""
    copies.forget([instance.key_hash])
