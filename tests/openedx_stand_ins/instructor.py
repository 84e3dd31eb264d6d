"""
``lms.djangoapps.instructor.enrollment``'s email functions (openedx-platform 5af5f01f):
``get_email_params`` reads the course's ``display_name_with_default`` and ``enrollment_domain``;
``send_mail_to_student`` picks the message class by ``message_type`` (a missing or unknown one
raises ``KeyError``), looks the recipient's LMS user up by email, and sends through ACE at once
(synchronously: nothing waits for a commit).
"""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from tests.openedx_stand_ins import site_configuration
from tests.openedx_stand_ins.models import UserPreference
from tests.openedx_stand_ins.records import calls

MESSAGE_TYPES = ("allowed_enroll", "allowed_unenroll", "enrolled_enroll", "enrolled_unenroll")
SUBJECTS = {
    "allowed_enroll": "You have been invited to register for {course_name}",
    "allowed_unenroll": "You have been unenrolled from {course_name}",
    "enrolled_enroll": "You have been enrolled in {course_name}",
    "enrolled_unenroll": "You have been unenrolled from {course_name}",
}


def get_user_email_language(user):
    return UserPreference.objects.filter(user=user, key="pref-lang").values_list("value", flat=True).first()


def get_email_params(course, auto_enroll, secure=True, course_key=None, display_name=None):
    protocol = "https" if secure else "http"
    course_key = course_key or str(course.id)
    display_name = display_name or course.display_name_with_default
    site_name = site_configuration.get_value("SITE_NAME", getattr(settings, "SITE_NAME", "localhost"))
    is_shib_course = bool(course.enrollment_domain and course.enrollment_domain.startswith("shib:"))
    return {
        "site_name": site_name, "registration_url": f"{protocol}://{site_name}/register", "course": course,
        "display_name": display_name, "auto_enroll": auto_enroll,
        "course_url": f"{protocol}://{site_name}/courses/{course_key}/", "is_shib_course": is_shib_course,
    }


def send_mail_to_student(student, param_dict, language=None):
    if "display_name" in param_dict:
        param_dict["course_name"] = param_dict["display_name"]
    message_type = param_dict["message_type"]
    if message_type not in MESSAGE_TYPES:
        raise KeyError(message_type)
    user = get_user_model().objects.filter(email=student).first()
    calls.append(("send_mail_to_student", student, message_type, user.pk if user else 0, language))
    send_mail(SUBJECTS[message_type].format(**param_dict), f"{message_type} {param_dict['course_url']}",
              settings.DEFAULT_FROM_EMAIL, [student])
