"""
The Open edX backend's part for the enrollments, users and courses endpoints: through the
platform's own models and functions, as its instructor enrollment does (openedx-platform
lms/djangoapps/instructor/enrollment.py at 5af5f01f: ``enroll_email``, ``unenroll_email``,
``get_email_params``, ``send_mail_to_student``), with the mode a caller asks for, which
``enroll_email`` cannot take. docs/decisions/0013-enrollments-endpoint.rst says why each step.
"""
from django.conf import settings
from django.db.models import Q

from tahoe_registration_plugin.backends.openedx_platform import platform
from tahoe_registration_plugin.backends.site_request import current_request
from tahoe_registration_plugin.data import Course
from tahoe_registration_plugin.errors import InvalidEnrollment

CREATED_ON_SITE = "created_on_site"


class OpenedxEnrollments:
    """Mixed into ``OpenedxBackend``."""

    def signed_up_on(self, site):
        """
        Users whose ``created_on_site`` attribute or ``UserSignupSource`` names the site. The
        platform records no ``created_on_site`` for its default site (``SITE_ID``): its
        ``create_or_set_user_attribute_created_on_site`` says that users without one belong there.

        Only users with a profile: the platform's registration always makes one, and an account
        without one (a service user made by ``manage_user`` or ``createsuperuser``) is nobody's
        learner; its enrollment would fail too, as the platform's reads ``user.profile``.
        """
        student_models = platform("student_models")
        attributes = student_models.UserAttribute.objects.filter(name=CREATED_ON_SITE)
        has_profile = Q(profile__isnull=False)
        if site.pk == settings.SITE_ID:
            return has_profile & ~Q(pk__in=attributes.values("user_id"))
        return has_profile & (
            Q(pk__in=attributes.filter(value__iexact=site.domain).values("user_id"))
            | Q(pk__in=student_models.UserSignupSource.objects.filter(site__iexact=site.domain).values("user_id"))
        )

    def all_courses(self, orgs=None):
        overviews = platform("course_overviews").CourseOverview.get_all_courses(orgs=list(orgs) if orgs else None)
        return sorted(
            (Course(overview.id, (), overview.display_name_with_default, overview.start, overview.end,
                    overview.enrollment_start, overview.enrollment_end) for overview in overviews),
            key=lambda course: str(course.course_key),
        )

    def course_modes(self, course_key):
        return tuple(mode.slug for mode in platform("course_modes").CourseMode.modes_for_course(course_key))

    def enrollment_rows(self):
        return platform("student_models").CourseEnrollment.objects.all()

    def allowed_rows(self):
        return platform("student_models").CourseEnrollmentAllowed.objects.all()

    def enroll_many(self, changes):
        """``CourseEnrollment.enroll`` for each, as registration enrolls (an administrator's grant)."""
        student_models = platform("student_models")
        for user, enrollment in changes:
            try:
                student_models.CourseEnrollment.enroll(user, enrollment.course_key, mode=enrollment.mode,
                                                       check_access=False)
            except student_models.EnrollmentNotAllowed as refusal:
                raise InvalidEnrollment(user, enrollment.course_key, str(refusal)) from refusal

    def unenroll_many(self, changes):
        student_models = platform("student_models")
        for user, course_key in changes:
            try:
                student_models.CourseEnrollment.unenroll(user, course_key)
            except student_models.UnenrollmentNotAllowed as refusal:
                raise InvalidEnrollment(user, course_key, str(refusal)) from refusal

    def is_email_retired(self, email):
        return bool(platform("student_models").is_email_retired(email))

    def send_enrollment_email(self, site, notice):
        """The platform's instructor email, with the parameters ``enroll_email`` gives it."""
        instructor = platform("instructor_enrollment")
        request = current_request(site)
        overview = platform("course_overviews").CourseOverview.get_from_id(notice.course_key)
        params = instructor.get_email_params(overview, notice.auto_enroll, secure=request.is_secure())
        params.update(message_type=notice.message_type, email_address=notice.email)
        language = None
        if notice.user is not None:
            params.update(user_id=notice.user.pk, full_name=notice.user.profile.name)
            language = instructor.get_user_email_language(notice.user)
        instructor.send_mail_to_student(notice.email, params, language=language)
