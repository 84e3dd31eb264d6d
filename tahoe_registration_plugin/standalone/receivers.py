"""
The platform's auto-enrollment, in the standalone project: a user whose account becomes active
(or whose email changes while active) is enrolled in the courses their address was pre-enrolled
in with ``auto_enroll``, as the LMS's ``student.models.user.user_post_save_callback`` does
(openedx-platform common/djangoapps/student/models/user.py, d87ee18c).
"""
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from tahoe_registration_plugin.standalone.models import DEFAULT_MODE, Course, CourseEnrollment, CourseEnrollmentAllowed

PRE_SAVE_UID = "tahoe_standalone_user_pre_save"
POST_SAVE_UID = "tahoe_standalone_user_post_save"


@receiver(pre_save, sender=get_user_model(), dispatch_uid=PRE_SAVE_UID)
def remember_changed_fields(sender, instance, **kwargs):
    previous = sender.objects.filter(pk=instance.pk).values("is_active", "email").first() if instance.pk else None
    instance._tahoe_changed_fields = {  # pylint: disable=protected-access
        name for name, old in (previous or {}).items() if getattr(instance, name) != old
    }


@receiver(post_save, sender=get_user_model(), dispatch_uid=POST_SAVE_UID)
def enroll_pre_enrolled(sender, instance, **kwargs):  # pylint: disable=unused-argument
    changed = getattr(instance, "_tahoe_changed_fields", set())
    if not instance.is_active or not changed & {"is_active", "email"}:
        return
    for allowed in CourseEnrollmentAllowed.for_user(instance).filter(auto_enroll=True):
        if CourseEnrollment.objects.filter(user=instance, course_id=allowed.course_id, is_active=True).exists():
            if allowed.user_id is None:
                allowed.user = instance
                allowed.save(update_fields=["user"])
            continue
        course = Course.objects.filter(course_id=allowed.course_id).first()
        if course is None or course.enrollment_is_closed():
            continue
        modes = course.mode_slugs
        CourseEnrollment.objects.update_or_create(
            user=instance, course_id=allowed.course_id,
            defaults={"is_active": True, "mode": DEFAULT_MODE if DEFAULT_MODE in modes else modes[0]},
        )
        CourseEnrollmentAllowed.objects.filter(pk=allowed.pk, user__isnull=True).update(user=instance)
