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
    A learner's profile, as the LMS's ``UserProfile``: the full name, the fields the platform's
    registration form may collect, and ``meta``, the site's extended profile fields as JSON.

    .. pii: The learner's full name, year of birth, gender, education, address, country, goals, and
       the site's extended profile fields.
    .. pii_types: name, birth_date, gender, location, other
    .. pii_retirement: local_api
    """

    # ``user.profile``, as in the LMS, so code and tests read the name the same way in both.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    name = models.CharField(max_length=255, db_index=True)
    year_of_birth = models.IntegerField(blank=True, null=True)
    level_of_education = models.CharField(blank=True, null=True, max_length=6)
    gender = models.CharField(blank=True, null=True, max_length=6)
    mailing_address = models.TextField(blank=True, null=True)
    country = models.CharField(blank=True, null=True, max_length=2)
    goals = models.TextField(blank=True, null=True)
    meta = models.TextField(blank=True)

    def __str__(self):
        return self.name

    @property
    def age(self):
        """Years since the year of birth, or None (as the LMS's ``UserProfile.age``)."""
        return timezone.now().year - self.year_of_birth if self.year_of_birth else None

    @property
    def level_of_education_display(self):
        return self.level_of_education or None

    @property
    def gender_display(self):
        return self.gender or None


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


DEFAULT_MODE = "audit"
# Modes no learner picks: the platform's CourseMode.CREDIT_MODES, left out of a course's modes.
CREDIT_MODES = ("credit",)


class Course(models.Model):
    """
    A course learners can be enrolled in, as the LMS's ``CourseOverview``.

    .. no_pii: A course's key, name and dates.
    """

    # Compared without case (SQLite's NOCASE, MySQL's utf8mb4_unicode_ci), as the LMS's CourseOverview.id.
    course_id = CourseKeyField(max_length=255, unique=True)
    display_name = models.CharField(max_length=255, blank=True)
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    enrollment_start = models.DateTimeField(null=True, blank=True)
    enrollment_end = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return str(self.course_id)

    @property
    def org(self):
        return self.course_id.org

    def enrollment_is_closed(self):
        """Whether learners cannot enroll now (the LMS's ``CourseEnrollment.is_enrollment_closed``)."""
        now = timezone.now()
        return bool((self.enrollment_start and now < self.enrollment_start)
                    or (self.enrollment_end and now > self.enrollment_end))

    @property
    def mode_slugs(self):
        """
        The modes a learner can be enrolled in now, as the LMS's ``CourseMode.modes_for_course``
        lists them: not expired, not credit; a course with none offers ``audit``.
        """
        current = self.course_modes.filter(
            models.Q(expiration_datetime__isnull=True) | models.Q(expiration_datetime__gte=timezone.now())
        ).exclude(mode_slug__in=CREDIT_MODES).order_by("pk")
        return [mode.mode_slug for mode in current] or [DEFAULT_MODE]


class CourseMode(models.Model):
    """
    One enrollment mode of a course, as the LMS's ``CourseMode`` (its slug, and when it expires).

    .. no_pii: A course's enrollment mode.
    """

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="course_modes")
    mode_slug = models.CharField(max_length=100)
    expiration_datetime = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "mode_slug"], name="tahoe_standalone_one_mode")]

    def __str__(self):
        return f"{self.course} {self.mode_slug}"


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


class CourseEnrollmentAllowed(models.Model):
    """
    A pre-enrollment, as the LMS's ``student.CourseEnrollmentAllowed``: an address allowed to
    enroll in a course, enrolled at once on activation when ``auto_enroll`` is set.

    .. pii: The address of someone who may not have an account yet.
    .. pii_types: email_address
    .. pii_retirement: local_api
    """

    email = models.CharField(max_length=255, db_index=True)
    course_id = CourseKeyField(max_length=255, db_index=True)
    auto_enroll = models.BooleanField(default=False)
    # The first user who enrolled with it; it never changes after.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    created = models.DateTimeField(auto_now_add=True, null=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "course_id"], name="tahoe_standalone_one_allowed")]

    def __str__(self):
        return f"Allowed in {self.course_id}"

    @classmethod
    def for_user(cls, user):
        """
        The pre-enrollments of ``user``'s address not taken by another user (as the LMS's, whose
        MySQL collation compares the address without case).
        """
        return cls.objects.filter(email__iexact=user.email).filter(models.Q(user__isnull=True) | models.Q(user=user))
