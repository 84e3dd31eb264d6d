"""factory_boy factories for the plugin's models and the records they point to."""
import factory
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from opaque_keys.edx.keys import CourseKey

from tahoe_registration_plugin.models import (
    ApiKey,
    EnrollmentRecord,
    RegistrationRecord,
    SiteAdministrator,
    identity_digest,
)
from tahoe_registration_plugin.standalone.models import Course, CourseMode, Profile, SiteConfiguration


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("domain",)

    domain = factory.Sequence(lambda n: f"site{n}.example.com")
    name = factory.LazyAttribute(lambda site: site.domain)


class SiteConfigurationFactory(factory.django.DjangoModelFactory):
    """A site's own settings, enabled, as an LMS operator sets them in the admin."""

    class Meta:
        model = SiteConfiguration

    site = factory.SubFactory(SiteFactory)
    enabled = True
    site_values = factory.Dict({})


class CourseFactory(factory.django.DjangoModelFactory):
    """A course of the standalone project (and of the platform's stand-ins), with its modes."""

    class Meta:
        model = Course
        skip_postgeneration_save = True

    course_id = factory.Sequence(lambda n: CourseKey.from_string(f"course-v1:LMSX+Course{n}+2026"))
    display_name = factory.LazyAttribute(lambda course: f"Course {course.course_id.course}")

    @factory.post_generation
    def modes(course, create, slugs, **kwargs):
        """The course's mode slugs (``audit`` by default; ``[]``: none, so the platform's default)."""
        if create:
            for slug in ["audit"] if slugs is None else slugs:
                CourseMode.objects.create(course=course, mode_slug=slug)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("a-long-passphrase")


class LearnerFactory(UserFactory):
    """A user as the platform's registration makes one: with a profile (``user.profile``)."""

    class Meta:
        # The profile points to the user; the user has nothing to save again.
        skip_postgeneration_save = True

    profile = factory.RelatedFactory("tests.factories.ProfileFactory", factory_related_name="user")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    name = factory.LazyAttribute(lambda profile: profile.user.username.title())


class ApiKeyFactory(factory.django.DjangoModelFactory):
    """An API key; the created instance carries its one-time ``secret`` as an attribute."""

    class Meta:
        model = ApiKey

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Integration {n}")
    # Every scope: tests of a scope's refusal name the scopes they give.
    scopes = ("register", "enroll", "read")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        api_key, secret = model_class.objects.create_key(**kwargs)
        api_key.secret = secret
        return api_key


class RegistrationRecordFactory(factory.django.DjangoModelFactory):
    """An account the API created, as ``RegistrationRecord.objects.record`` stores it."""

    class Meta:
        model = RegistrationRecord

    site = factory.SubFactory(SiteFactory)
    user = factory.SubFactory(UserFactory)
    api_key = factory.SubFactory(ApiKeyFactory, site=factory.SelfAttribute("..site"))
    api_version = "v2"
    username_digest = factory.LazyAttribute(lambda record: identity_digest(record.user.username))
    email_digest = factory.LazyAttribute(lambda record: identity_digest(record.user.email))


class EnrollmentRecordFactory(factory.django.DjangoModelFactory):
    """One learner's outcome of an enrollments call."""

    class Meta:
        model = EnrollmentRecord

    site = factory.SubFactory(SiteFactory)
    api_key = factory.SubFactory(ApiKeyFactory, site=factory.SelfAttribute("..site"))
    learner = factory.Sequence(lambda n: f"learner{n}@example.com")
    action = "enroll"
    course_id = "course-v1:LMSX+Course1+2026"
    status = "enrolled"
    mode = "audit"


class SiteAdministratorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteAdministrator

    user = factory.SubFactory(UserFactory, is_staff=True)
    site = factory.SubFactory(SiteFactory)
