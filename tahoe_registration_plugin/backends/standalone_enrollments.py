"""
The standalone backend's part for the enrollments, users and courses endpoints: the platform's
behaviour over the standalone app's tables, in a few queries however many learners a call names.
"""
from django.conf import settings
from django.db.models import Q

from tahoe_registration_plugin.backends.site_request import current_request
from tahoe_registration_plugin.data import Course
from tahoe_registration_plugin.standalone import emails


class StandaloneEnrollments:
    """Mixed into ``StandaloneBackend``."""

    def signed_up_on(self, site):
        """
        The standalone project records no sign-up site: as the platform assumes of users without a
        ``created_on_site``, its users belong to the default site (``SITE_ID``), unless the API
        registered them on another one.
        """
        from tahoe_registration_plugin.models import RegistrationRecord  # pylint: disable=import-outside-toplevel

        if site.pk != settings.SITE_ID:
            return Q(pk__in=[])
        # As on the platform, an account without a profile (not made by a registration) is no learner.
        return Q(profile__isnull=False) & ~Q(pk__in=RegistrationRecord.objects.exclude(site=site).values("user_id"))

    def all_courses(self, orgs=None):
        from tahoe_registration_plugin.standalone import models  # pylint: disable=import-outside-toplevel

        courses = models.Course.objects.order_by("course_id")
        if orgs:
            folded = {org.lower() for org in orgs}
            courses = [course for course in courses if course.org.lower() in folded]
        return [Course(course.course_id, (), course.display_name, course.start, course.end,
                       course.enrollment_start, course.enrollment_end) for course in courses]

    def course_modes(self, course_key):
        from tahoe_registration_plugin.standalone import models  # pylint: disable=import-outside-toplevel

        course = models.Course.objects.filter(course_id=course_key).first()
        return tuple(course.mode_slugs) if course is not None else ()

    def enrollment_rows(self):
        from tahoe_registration_plugin.standalone import models  # pylint: disable=import-outside-toplevel

        return models.CourseEnrollment.objects.all()

    def allowed_rows(self):
        from tahoe_registration_plugin.standalone import models  # pylint: disable=import-outside-toplevel

        return models.CourseEnrollmentAllowed.objects.all()

    def enroll_many(self, changes):
        """Reactivate the inactive rows, create the others: a few queries, however many learners."""
        from tahoe_registration_plugin.standalone import models  # pylint: disable=import-outside-toplevel

        wanted = {(user.pk, str(enrollment.course_key)): (user, enrollment) for user, enrollment in changes}
        existing = self._rows_of(wanted)
        for row in existing:
            row.is_active, row.mode = True, wanted[(row.user_id, str(row.course_id))][1].mode
        models.CourseEnrollment.objects.bulk_update(existing, ["is_active", "mode"])
        done = {(row.user_id, str(row.course_id)) for row in existing}
        models.CourseEnrollment.objects.bulk_create([
            models.CourseEnrollment(user=user, course_id=enrollment.course_key, mode=enrollment.mode)
            for pair, (user, enrollment) in wanted.items() if pair not in done
        ])

    def unenroll_many(self, changes):
        from tahoe_registration_plugin.standalone import models  # pylint: disable=import-outside-toplevel

        rows = self._rows_of({(user.pk, str(course_key)) for user, course_key in changes})
        for row in rows:
            row.is_active = False
        models.CourseEnrollment.objects.bulk_update(rows, ["is_active"])

    def _rows_of(self, pairs):
        """The enrollment rows of the ``(user_id, course_id)`` pairs, in one query."""
        user_ids = {user_id for user_id, _course in pairs}
        course_ids = {course_id for _user, course_id in pairs}
        rows = self.enrollment_rows().filter(user_id__in=user_ids, course_id__in=course_ids)
        return [row for row in rows if (row.user_id, str(row.course_id)) in pairs]

    def allow_many(self, items, auto_enroll):
        from tahoe_registration_plugin.standalone import models  # pylint: disable=import-outside-toplevel

        items = {(email, str(course_key)): course_key for email, course_key in items}
        existing = [row for row in self.allowed_rows().filter(email__in={email for email, _ in items})
                    if (row.email, str(row.course_id)) in items]
        for row in existing:
            row.auto_enroll = auto_enroll
        models.CourseEnrollmentAllowed.objects.bulk_update(existing, ["auto_enroll"])
        done = {(row.email, str(row.course_id)) for row in existing}
        models.CourseEnrollmentAllowed.objects.bulk_create([
            models.CourseEnrollmentAllowed(email=email, course_id=course_key, auto_enroll=auto_enroll)
            for (email, _), course_key in items.items() if (email, _) not in done
        ])

    def send_enrollment_email(self, site, notice):
        emails.send_enrollment_email(current_request(site), site, notice)
