"""The audit trail: one record per account the API created."""
import hashlib

from django.conf import settings
from django.contrib.sites.models import Site
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.keys import CourseKey

from tahoe_registration_plugin.data import Enrollment
from tahoe_registration_plugin.models.api_keys import ApiKey


def identity_digest(value):
    """A username's or email's case-insensitive fingerprint: equal for values equal but for case."""
    return hashlib.sha256(value.lower().encode("utf-8")).hexdigest()


class RegistrationRecordQuerySet(models.QuerySet):

    def record(self, *, site, user, api_key, api_version, account, enrollments):
        """Record that ``api_key`` registered ``account`` (a ``data.NewAccount``) as ``user``."""
        return self.create(
            site=site, user=user, api_key=api_key, api_version=api_version,
            username_digest=identity_digest(account.username), email_digest=identity_digest(account.email),
            enrollments=[enrollment.as_dict() for enrollment in enrollments],
        )

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
    api_key = models.ForeignKey(ApiKey, null=True, on_delete=models.SET_NULL, related_name="registrations",
                                verbose_name=_("API key"))
    api_version = models.CharField(_("API version"), max_length=8)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    username_digest = models.CharField(max_length=64, unique=True, null=True, editable=False)
    email_digest = models.CharField(max_length=64, unique=True, null=True, editable=False)
    # The enrollments made with the account: [{"course_id": ..., "mode": ...}].
    enrollments = models.JSONField(default=list, blank=True, editable=False)

    objects = RegistrationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        # A title a person reads in the admin: who, where, how and when; never the email.
        return _("{username} registered on {site} ({version}, {date})").format(
            username=self.user.username, site=self.site.domain, version=self.api_version,
            date=self.created.date().isoformat(),
        )
