"""
The stand-ins under the platform's import paths, for the duration of a test (``installed()``),
with the platform's receivers connected and empty records.
"""
import sys
import types
from contextlib import contextmanager

from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal

from tahoe_registration_plugin.backends import load_backend
from tahoe_registration_plugin.standalone import receivers as standalone_receivers
from tests.openedx_stand_ins import accounts, enrollment, instructor, records, site_configuration, tracking, user_authn
from tests.openedx_stand_ins.models import UserAttribute, UserPreference, UserSignupSource

# openedx.core.djangoapps.user_api.accounts.signals: sent by LMSAccountRetirementView with ``user``.
USER_RETIRE_LMS_MISC = Signal()
calls = records.calls

MODULES = {
    "common.djangoapps.student.helpers": {
        "AccountValidationError": accounts.AccountValidationError,
        "create_or_set_user_attribute_created_on_site": accounts.create_or_set_user_attribute_created_on_site,
        "do_create_account": accounts.do_create_account,
        "get_next_url_for_login_page": accounts.get_next_url_for_login_page,
        "get_redirect_url_with_host": accounts.get_redirect_url_with_host,
    },
    "common.djangoapps.student.models": {
        "CourseEnrollment": enrollment.CourseEnrollment,
        "CourseEnrollmentAllowed": enrollment.CourseEnrollmentAllowed,
        "EnrollmentNotAllowed": enrollment.EnrollmentNotAllowed,
        "UnenrollmentNotAllowed": enrollment.UnenrollmentNotAllowed,
        "Registration": accounts.Registration,
        "UserProfile": accounts.UserProfile,
        "UserAttribute": UserAttribute,
        "UserSignupSource": UserSignupSource,
        "create_comments_service_user": accounts.create_comments_service_user,
        "email_exists_or_retired": accounts.email_exists_or_retired,
        "is_email_retired": accounts.is_email_retired,
        "username_exists_or_retired": accounts.username_exists_or_retired,
    },
    "common.djangoapps.student.signals": {
        "ENROLL_STATUS_CHANGE": enrollment.ENROLL_STATUS_CHANGE,
        "ENROLLMENT_TRACK_UPDATED": enrollment.ENROLLMENT_TRACK_UPDATED,
        "UNENROLL_DONE": enrollment.UNENROLL_DONE,
    },
    "common.djangoapps.student.tasks": {"send_course_enrollment_email": enrollment.send_course_enrollment_email},
    "common.djangoapps.student.views": {
        "compose_and_send_activation_email": accounts.compose_and_send_activation_email,
    },
    "common.djangoapps.course_modes.models": {"CourseMode": enrollment.CourseMode},
    "lms.djangoapps.instructor.enrollment": {
        "get_email_params": instructor.get_email_params,
        "get_user_email_language": instructor.get_user_email_language,
        "send_mail_to_student": instructor.send_mail_to_student,
    },
    "common.djangoapps.track.segment": {"identify": tracking.identify, "track": tracking.track},
    "common.djangoapps.util.password_policy_validators": {"normalize_password": accounts.normalize_password},
    "eventtracking.tracker": {"emit": tracking.emit, "get_tracker": tracking.get_tracker},
    "openedx.core.djangoapps.content.course_overviews.models": {"CourseOverview": enrollment.CourseOverview},
    "openedx.core.djangoapps.lang_pref": {"LANGUAGE_KEY": user_authn.LANGUAGE_KEY},
    "openedx.core.djangoapps.site_configuration.helpers": {"get_value": site_configuration.get_value},
    "openedx.core.djangoapps.user_api.models": {"UserPreference": UserPreference},
    "openedx.core.djangoapps.user_api.preferences.api": {"set_user_preference": user_authn.set_user_preference},
    "openedx.core.djangoapps.user_api.accounts.signals": {"USER_RETIRE_LMS_MISC": USER_RETIRE_LMS_MISC},
    "openedx.core.djangoapps.user_authn.toggles": {
        "is_require_third_party_auth_enabled": user_authn.is_require_third_party_auth_enabled,
    },
    "openedx.core.djangoapps.user_authn.views.password_reset": {
        "PasswordResetFormNoActive": user_authn.PasswordResetFormNoActive,
        "send_password_reset_email_for_user": user_authn.send_password_reset_email_for_user,
    },
    "openedx.core.djangoapps.user_authn.views.register": {
        "REGISTER_USER": user_authn.REGISTER_USER,
        "_skip_activation_email": user_authn._skip_activation_email,  # pylint: disable=protected-access
    },
    "openedx.core.djangoapps.user_authn.views.registration_form": {
        "AccountCreationForm": user_authn.AccountCreationForm,
        "get_registration_extension_form": user_authn.get_registration_extension_form,
    },
}
STANDALONE_RECEIVERS = [
    (pre_save, standalone_receivers.remember_changed_fields, standalone_receivers.PRE_SAVE_UID),
    (post_save, standalone_receivers.enroll_pre_enrolled, standalone_receivers.POST_SAVE_UID),
]
RECEIVERS = [*((signal, receiver, None) for signal, receiver in accounts.RECEIVERS), *user_authn.RECEIVERS]


def _build_modules():
    modules = {}
    for dotted, names in MODULES.items():
        parts = dotted.split(".")
        for depth in range(1, len(parts) + 1):
            name = ".".join(parts[:depth])
            modules.setdefault(name, types.ModuleType(name, f"Stand-in for edx-platform's {name}."))
        for attribute, value in names.items():
            setattr(modules[dotted], attribute, value)
    for name, module in modules.items():
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(modules[parent], child, module)
    return modules


STAND_IN_MODULES = _build_modules()


def module(name):
    """The stand-in module the platform's ``name`` is while the stand-ins are installed."""
    return STAND_IN_MODULES[name]


@contextmanager
def installed():
    """The stand-ins in ``sys.modules`` for the duration, their receivers connected, with empty records."""
    records.clear()
    # Only the stand-ins' own names are put in and taken out: modules that the test imports
    # meanwhile (the plugin's views, say) must stay, or later tests would see two copies of them.
    previous = {name: sys.modules.get(name) for name in STAND_IN_MODULES}
    sys.modules.update(STAND_IN_MODULES)
    for signal, receiver, sender in RECEIVERS:
        signal.connect(receiver, sender=sender or accounts.User, weak=False)
    # An LMS has no standalone app: its auto-enrollment gives way to the platform's receiver.
    for signal, _receiver, uid in STANDALONE_RECEIVERS:
        signal.disconnect(sender=accounts.User, dispatch_uid=uid)
    # A process loads its backend once; with and without the stand-ins are two different processes.
    load_backend.cache_clear()
    try:
        yield
    finally:
        load_backend.cache_clear()
        for signal, receiver, sender in RECEIVERS:
            signal.disconnect(receiver, sender=sender or accounts.User)
        for signal, receiver, uid in STANDALONE_RECEIVERS:
            signal.connect(receiver, sender=accounts.User, dispatch_uid=uid)
        for name, previous_module in previous.items():
            if previous_module is None:
                del sys.modules[name]
            else:
                sys.modules[name] = previous_module


def preferences():
    """The users' preferences as stored: ``{(user_id, key): value}``."""
    rows = UserPreference.objects.values_list("user_id", "key", "value")
    return {(user_id, key): value for user_id, key, value in rows}
