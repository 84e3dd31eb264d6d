"""The platform's account and site records, reduced to what the registration API touches."""
import uuid

from django.conf import settings
from django.contrib.sites.models import Site
from django.db import models
from django.utils import timezone
from opaque_keys.edx.django.models import CourseKeyField

from tahoe_registration_plugin.logs import get_logger
from tahoe_registration_plugin.standalone.signals import USER_ACCOUNT_ACTIVATED

log = get_logger(__name__)


class Profile(models.Model):
    """
    A learner's full name, as the LMS's ``UserProfile.name``.

    .. pii: The learner's full name.
    .. pii_types: name
    .. pii_retirement: local_api
    """

    # ``user.profile``, as in the LMS, so code and tests read the name the same way in both.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    name = models.CharField(max_length=255, db_index=True)

    def __str__(self):
        return self.name


def _new_activation_key():
    return uuid.uuid4().hex


class Registration(models.Model):
    """
    The activation key mailed to a learner, as the LMS's ``student.Registration``.

    .. no_pii: A random key tied to a user.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registration")
    activation_key = models.CharField(max_length=32, unique=True, default=_new_activation_key)
    activation_timestamp = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Registration of user {self.user_id}"

    def register(self, user):
        """Attach this new activation record to ``user`` and save it, as the LMS's ``register`` does."""
        self.user = user
        self.save()

    def activate(self):
        """
        Mark the account active and say so, as the LMS's ``Registration.activate()`` does: the user
        is saved (its ``post_save`` receivers run), then ``USER_ACCOUNT_ACTIVATED`` is sent robustly.
        """
        self.user.is_active = True
        self.user.save(update_fields=["is_active"])
        self.activation_timestamp = timezone.now()
        self.save(update_fields=["activation_timestamp"])
        USER_ACCOUNT_ACTIVATED.send_robust(self.__class__, user=self.user)
        log.info("User %s account is successfully activated.", self.user.pk)


class SiteConfiguration(models.Model):
    """
    A site's own settings, as the LMS's ``site_configuration.SiteConfiguration``: a JSON object of
    values that override Django's settings for that site while ``enabled``.

    .. no_pii: Operator settings of a site.
    """

    # ``site.configuration``, the reverse accessor the LMS's model has too.
    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="configuration")
    enabled = models.BooleanField(default=False)
    site_values = models.JSONField(default=dict, blank=True)

    def __str__(self):
        return f"Configuration of {self.site.domain}"

    def get_value(self, name, default=None):
        """``name``'s value for this site while enabled, else ``default`` (as the LMS's model answers)."""
        if self.enabled:
            return self.site_values.get(name, default)
        return default

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Django keeps Site objects in a process-wide cache; a fresh one reads this configuration again.
        Site.objects.clear_cache()


DEFAULT_MODES = ["audit"]


class Course(models.Model):
    """
    A course learners can be enrolled in, as the LMS's ``CourseOverview`` plus its ``CourseMode`` rows.

    .. no_pii: A course's key, name and enrollment modes.
    """

    course_id = CourseKeyField(max_length=255, unique=True)
    display_name = models.CharField(max_length=255, blank=True)
    # The modes a learner can be enrolled in (the LMS's CourseMode slugs), the first being the default.
    modes = models.JSONField(default=list, blank=True)

    def __str__(self):
        return str(self.course_id)

    @property
    def mode_slugs(self):
        """The course's modes; a course with none offers ``audit``, as the LMS's ``CourseMode`` does."""
        return list(self.modes) or list(DEFAULT_MODES)


class CourseEnrollment(models.Model):
    """
    A learner's enrollment, as the LMS's ``student.CourseEnrollment`` (one row per user and course).

    .. no_pii: Ties a user to a course.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course_id = CourseKeyField(max_length=255, db_index=True)
    mode = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course_id"], name="tahoe_standalone_one_enrollment")]

    def __str__(self):
        return f"{self.user_id} in {self.course_id} ({self.mode})"
