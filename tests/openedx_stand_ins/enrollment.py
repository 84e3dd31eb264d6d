"""
Enrollment in the platform, over the standalone app's tables:

- ``common/djangoapps/student/models/course_enrollment.py`` @ 0b870c13 (same behaviour @ 3eb3f982):
  ``CourseEnrollment.enroll`` runs the ``CourseEnrollmentStarted`` filter, picks the default mode,
  checks access only with ``check_access``, creates the row inactive, then ``update_enrollment``
  activates it (``COURSE_ENROLLMENT_CHANGED``, the ``activated`` tracking and Segment events and,
  where the waffle flag is on, the enrollment email task), then ``ENROLL_STATUS_CHANGE`` and
  ``COURSE_ENROLLMENT_CREATED`` are sent, always, a re-enrollment included. ``unenroll`` runs the
  ``CourseUnenrollmentStarted`` filter and sends ``UNENROLL_DONE``, the ``deactivated`` events,
  ``ENROLL_STATUS_CHANGE`` and ``COURSE_UNENROLLMENT_COMPLETED``; a missing row is only logged.
  ``emit_event`` swallows every error. Nothing waits for a commit.
- ``common/djangoapps/course_modes/models.py`` @ 6913dfd7: ``modes_for_course`` leaves out expired
  and credit modes, and offers the default mode to a course with none.
- ``common/djangoapps/student/toggles.py`` @ 05324a51 and ``student/tasks.py`` @ e57a655d: the
  enrollment email is a Celery task, queued only under ``student.enable_enrollment_confirmation_email``.
"""
import logging
from collections import namedtuple
from importlib import import_module

from django.dispatch import Signal
from django.utils import timezone
from edx_toggles.toggles import WaffleFlag
from openedx_events.learning.data import CourseData, CourseEnrollmentData, UserData, UserPersonalData
from openedx_events.learning.signals import (
    COURSE_ENROLLMENT_CHANGED,
    COURSE_ENROLLMENT_CREATED,
    COURSE_UNENROLLMENT_COMPLETED,
)
from openedx_filters.learning.filters import CourseEnrollmentStarted, CourseUnenrollmentStarted

from tahoe_registration_plugin.standalone import models as standalone_models
from tests.openedx_stand_ins.records import calls

log = logging.getLogger("common.djangoapps.student.models.course_enrollment")

# --- common.djangoapps.student.signals --------------------------------------------------------------
ENROLL_STATUS_CHANGE = Signal()
UNENROLL_DONE = Signal()
ENROLLMENT_TRACK_UPDATED = Signal()

# --- common.djangoapps.student.toggles and tasks ----------------------------------------------------
# .. toggle_name: student.enable_enrollment_confirmation_email
# .. toggle_implementation: WaffleFlag
# .. toggle_default: False
# .. toggle_description: The platform's flag (common/djangoapps/student/toggles.py), reproduced by
#   the stand-in: when on, enrolling queues the course's enrollment email.
# .. toggle_use_cases: open_edx
# .. toggle_creation_date: 2026-11-30
ENROLLMENT_CONFIRMATION_EMAIL = WaffleFlag("student.enable_enrollment_confirmation_email", __name__)


def should_send_enrollment_email():
    return ENROLLMENT_CONFIRMATION_EMAIL.is_enabled()


class CeleryTask:
    """A Celery task as the platform queues it: ``apply_async``/``delay`` hand it to the broker (recorded)."""

    def __init__(self, name):
        self.name = name

    def apply_async(self, args=(), kwargs=None, **options):  # pylint: disable=unused-argument
        calls.append(("celery", self.name, tuple(args)))

    def delay(self, *args, **kwargs):
        return self.apply_async(args, kwargs)


send_course_enrollment_email = CeleryTask("common.djangoapps.student.tasks.send_course_enrollment_email")

# --- exceptions of common.djangoapps.student.models -------------------------------------------------


class CourseEnrollmentException(Exception):
    pass


class NonExistentCourseError(CourseEnrollmentException):
    pass


class EnrollmentClosedError(CourseEnrollmentException):
    pass


class AlreadyEnrolledError(CourseEnrollmentException):
    pass


class EnrollmentNotAllowed(CourseEnrollmentException):
    pass


class UnenrollmentNotAllowed(CourseEnrollmentException):
    pass


# --- course_modes and course_overviews ----------------------------------------------------------------
Mode = namedtuple("Mode", "slug name")


class CourseMode:
    DEFAULT_MODE_SLUG = "audit"

    @classmethod
    def modes_for_course(cls, course_id=None, include_expired=False, only_selectable=True):
        del include_expired, only_selectable  # the standalone Course lists current, selectable modes
        course = standalone_models.Course.objects.filter(course_id=course_id).first()
        slugs = course.mode_slugs if course is not None else [cls.DEFAULT_MODE_SLUG]
        return [Mode(slug, slug.title()) for slug in slugs]


class CourseOverview:
    """A course's overview: ``id`` is its key as stored (the lookup compares without case, as MySQL's)."""

    DoesNotExist = standalone_models.Course.DoesNotExist

    def __init__(self, course):
        self.id = course.course_id
        self.org = course.course_id.org
        self.display_name = course.display_name
        # The platform's fallback when a course has no name: its id's course number (``display_name_with_default``).
        self.display_name_with_default = course.display_name or course.course_id.course
        self.enrollment_domain = None
        self.start, self.end = course.start, course.end
        self.enrollment_start, self.enrollment_end = course.enrollment_start, course.enrollment_end

    @classmethod
    def get_from_id(cls, course_key):
        return cls(standalone_models.Course.objects.get(course_id=course_key))

    @classmethod
    def get_all_courses(cls, orgs=None):
        courses = standalone_models.Course.objects.all()
        if orgs:
            courses = [course for course in courses if course.course_id.org.lower() in {org.lower() for org in orgs}]
        return [cls(course) for course in courses]


def _default_course_mode(course_id):
    """openedx/core/djangoapps/enrollments/api.py: the default slug, else audit, else honor."""
    slugs = [mode.slug for mode in CourseMode.modes_for_course(course_id)]
    for slug in (CourseMode.DEFAULT_MODE_SLUG, "audit", "honor"):
        if slug in slugs:
            return slug
    return CourseMode.DEFAULT_MODE_SLUG


# --- CourseEnrollmentAllowed and CourseEnrollment -----------------------------------------------------
CourseEnrollmentAllowed = standalone_models.CourseEnrollmentAllowed


def _enrollment_data(row):
    user = row.user
    try:
        course = CourseData(course_key=row.course_id,
                            display_name=CourseOverview.get_from_id(row.course_id).display_name)
    except CourseOverview.DoesNotExist:
        course = CourseData(course_key=row.course_id)
    return CourseEnrollmentData(
        # The platform reads the profile here: a user without one fails after the row was saved.
        user=UserData(pii=UserPersonalData(username=user.username, email=user.email, name=user.profile.name),
                      id=user.id, is_active=user.is_active),
        course=course, mode=row.mode, is_active=row.is_active, creation_date=row.created,
    )


class CourseEnrollment:
    """``student.CourseEnrollment``'s class methods, over the standalone app's enrollment rows."""

    objects = standalone_models.CourseEnrollment.objects

    @classmethod
    def enroll(cls, user, course_key, mode=None, check_access=False, can_upgrade=False, enterprise_uuid=None):
        del can_upgrade, enterprise_uuid
        try:
            user, course_key, mode = CourseEnrollmentStarted.run_filter(user=user, course_key=course_key, mode=mode)
        except CourseEnrollmentStarted.PreventEnrollment as exc:
            raise EnrollmentNotAllowed(str(exc)) from exc
        if mode is None:
            mode = _default_course_mode(str(course_key))
        try:
            course = CourseOverview.get_from_id(course_key)
        except CourseOverview.DoesNotExist as error:
            course = None
            if check_access:
                raise NonExistentCourseError from error
        if check_access and course is not None and cls.is_enrollment_closed(user, course):
            raise EnrollmentClosedError
        if cls.is_enrolled(user, course_key):
            log.warning("User %s attempted to enroll in %s, but they were already enrolled", user.id, course_key)
            if check_access:
                raise AlreadyEnrolledError
        row = cls.get_or_create_enrollment(user, course_key)
        _update_enrollment(row, is_active=True, mode=mode)
        ENROLL_STATUS_CHANGE.send(sender=None, event="enroll", user=user, mode=row.mode, course_id=course_key,
                                  cost=None, currency=None)
        COURSE_ENROLLMENT_CREATED.send_event(enrollment=_enrollment_data(row))
        return row

    @classmethod
    def get_or_create_enrollment(cls, user, course_key):
        row, _created = cls.objects.get_or_create(
            user=user, course_id=course_key, defaults={"mode": CourseMode.DEFAULT_MODE_SLUG, "is_active": False},
        )
        # An unlinked pre-enrollment becomes linked now (a queryset update: no signal).
        CourseEnrollmentAllowed.objects.filter(email=user.email, course_id=course_key, user__isnull=True).update(
            user=user,
        )
        return row

    @classmethod
    def unenroll(cls, user, course_id, skip_refund=False):
        try:
            row = cls.objects.get(user=user, course_id=course_id)
        except standalone_models.CourseEnrollment.DoesNotExist:
            log.error("Tried to unenroll student %s from %s but they were not enrolled", user.id, course_id)
            return
        try:
            row = CourseUnenrollmentStarted.run_filter(enrollment=row)
        except CourseUnenrollmentStarted.PreventUnenrollment as exc:
            raise UnenrollmentNotAllowed(str(exc)) from exc
        _update_enrollment(row, is_active=False, skip_refund=skip_refund)

    @classmethod
    def enrollment_mode_for_user(cls, user, course_id):
        """``(mode, is_active)``, or ``(None, None)`` for a user never enrolled in the course."""
        row = cls.objects.filter(user=user, course_id=course_id).first()
        return (row.mode, row.is_active) if row is not None else (None, None)

    @classmethod
    def get_enrollment(cls, user, course_key):
        return cls.objects.filter(user=user, course_id=course_key).first()

    @classmethod
    def is_enrolled(cls, user, course_key):
        return cls.objects.filter(user=user, course_id=course_key, is_active=True).exists()

    @classmethod
    def is_enrollment_closed(cls, user, course):  # pylint: disable=unused-argument
        now = timezone.now()
        return bool((course.enrollment_start and now < course.enrollment_start)
                    or (course.enrollment_end and now > course.enrollment_end))


def _update_enrollment(row, mode=None, is_active=None, skip_refund=False):
    """``CourseEnrollment.update_enrollment``: saves and signals only what changed."""
    activation_changed = is_active is not None and row.is_active != is_active
    mode_changed = mode is not None and row.mode != mode
    row.is_active = is_active if activation_changed else row.is_active
    row.mode = mode if mode_changed else row.mode
    if activation_changed or mode_changed:
        row.save()
        COURSE_ENROLLMENT_CHANGED.send_event(enrollment=_enrollment_data(row))
    if activation_changed and row.is_active:
        _emit_event(row, "edx.course.enrollment.activated")
    elif activation_changed:
        UNENROLL_DONE.send(sender=None, course_enrollment=row, skip_refund=skip_refund)
        _emit_event(row, "edx.course.enrollment.deactivated")
        ENROLL_STATUS_CHANGE.send(sender=None, event="unenroll", user=row.user, mode=row.mode,
                                  course_id=row.course_id, cost=None, currency=None)
        COURSE_UNENROLLMENT_COMPLETED.send_event(enrollment=_enrollment_data(row))
    if mode_changed:
        _emit_event(row, "edx.course.enrollment.mode_changed")
        ENROLLMENT_TRACK_UPDATED.send(sender=None, user=row.user, course_key=row.course_id, mode=row.mode,
                                      countdown=30)


def _emit_event(row, event_name):
    """``CourseEnrollment.emit_event``: the tracking log, Segment and the email task; every error swallowed."""
    properties = {"category": "conversion", "label": str(row.course_id), "org": row.course_id.org,
                  "course": row.course_id.course, "run": row.course_id.run, "mode": row.mode}
    try:
        context = {"course_id": str(row.course_id), "org_id": row.course_id.org}
        data = {"user_id": row.user.id, "course_id": str(row.course_id), "mode": row.mode}
        if event_name == "edx.course.enrollment.activated":
            # Read before the events: a course without an overview sends neither.
            course = CourseOverview.get_from_id(row.course_id)
            if should_send_enrollment_email():
                send_course_enrollment_email.apply_async((row.user.id, str(row.course_id), course.display_name))
            properties.update(email=row.user.email, course_start=course.start)
        # Looked up as the platform looks them up: attributes of their modules, at each call.
        tracker, segment = import_module("eventtracking.tracker"), import_module("common.djangoapps.track.segment")
        with tracker.get_tracker().context(event_name, context):
            tracker.emit(event_name, data)
            segment.track(row.user_id, event_name, properties, traits={**properties, "email": row.user.email})
    except Exception:  # pylint: disable=broad-except
        log.exception("Unable to emit event %s for user %s and course %s", event_name, row.user_id, row.course_id)
