"""
What the Open edX backend uses of the platform, and the exits of the platform it holds.

With ``backends/openedx.py`` and ``openedx_steps.py``, the only modules of the plugin that use
edx-platform. Nothing is imported from it at import time: the modules in ``PLATFORM_NAMES`` are
imported when the backend is first loaded, which checks that every name is there (``manage.py
check`` reports the missing ones, and the API answers a JSON 503 instead of an HTML 500), and their
functions are looked up at each call. Each platform file the backend follows, with the commit it
was read at, and what the API does with each step, is in docs/decisions/0005-platform-steps.rst;
the exits held until commit are in docs/decisions/0012-side-effects-held-until-commit.rst.
"""
from importlib import import_module

from tahoe_registration_plugin.outbox import hold_at

# What the backend uses: the platform's modules and names, and openedx-events / openedx-filters,
# which every LMS installs. Looked up at each call, so a name is always the platform's current one.
PLATFORM_NAMES = {
    "helpers": ("common.djangoapps.student.helpers", (
        "AccountValidationError", "create_or_set_user_attribute_created_on_site", "do_create_account",
        "get_next_url_for_login_page", "get_redirect_url_with_host",
    )),
    "student_models": ("common.djangoapps.student.models", (
        "CourseEnrollment", "CourseEnrollmentAllowed", "EnrollmentNotAllowed", "Registration",
        "UnenrollmentNotAllowed", "UserAttribute", "UserProfile", "UserSignupSource",
        "create_comments_service_user", "email_exists_or_retired", "is_email_retired", "username_exists_or_retired",
    )),
    "student_signals": ("common.djangoapps.student.signals", (
        "ENROLL_STATUS_CHANGE", "ENROLLMENT_TRACK_UPDATED", "UNENROLL_DONE",
    )),
    "student_tasks": ("common.djangoapps.student.tasks", ("send_course_enrollment_email",)),
    "course_modes": ("common.djangoapps.course_modes.models", ("CourseMode",)),
    "instructor_enrollment": ("lms.djangoapps.instructor.enrollment", (
        "get_email_params", "get_user_email_language", "send_mail_to_student",
    )),
    "course_overviews": ("openedx.core.djangoapps.content.course_overviews.models", ("CourseOverview",)),
    "student_views": ("common.djangoapps.student.views", ("compose_and_send_activation_email",)),
    "segment": ("common.djangoapps.track.segment", ("identify", "track")),
    "tracker": ("eventtracking.tracker", ("emit", "get_tracker")),
    "password_policy": ("common.djangoapps.util.password_policy_validators", ("normalize_password",)),
    "lang_pref": ("openedx.core.djangoapps.lang_pref", ("LANGUAGE_KEY",)),
    "site_configuration": ("openedx.core.djangoapps.site_configuration.helpers", ("get_value",)),
    "preferences": ("openedx.core.djangoapps.user_api.preferences.api", ("set_user_preference",)),
    "authn_toggles": ("openedx.core.djangoapps.user_authn.toggles", ("is_require_third_party_auth_enabled",)),
    "password_reset": ("openedx.core.djangoapps.user_authn.views.password_reset", (
        "send_password_reset_email_for_user",
    )),
    "register": ("openedx.core.djangoapps.user_authn.views.register", ("REGISTER_USER", "_skip_activation_email")),
    "registration_form": ("openedx.core.djangoapps.user_authn.views.registration_form", ("AccountCreationForm",)),
    "event_data": ("openedx_events.learning.data", ("UserData", "UserPersonalData")),
    "event_signals": ("openedx_events.learning.signals", ("STUDENT_REGISTRATION_COMPLETED",)),
    "event_tooling": ("openedx_events.tooling", ("OpenEdxPublicSignal",)),
    "filters": ("openedx_filters.learning.filters", ("StudentRegistrationRequested",)),
}
# The extension form's getter, newest name first: Verawood renamed it (REGISTRATION_EXTENSION_FORM
# became PROFILE_EXTENSION_FORM); either one will do.
EXTENSION_FORM_GETTERS = ("get_profile_extension_form", "get_registration_extension_form")


def platform(alias):
    """The platform module ``PLATFORM_NAMES`` names ``alias``."""
    return import_module(PLATFORM_NAMES[alias][0])


def missing_platform_names():
    """The modules and names of ``PLATFORM_NAMES`` this LMS lacks (``manage.py check`` reports them)."""
    missing = []
    for module_name, names in PLATFORM_NAMES.values():
        try:
            module = import_module(module_name)
        except ImportError as error:
            missing.append(f"{module_name} ({error})")
            continue
        missing.extend(f"{module_name}.{name}" for name in names if not hasattr(module, name))
    form_module = PLATFORM_NAMES["registration_form"][0]
    if not missing and not any(hasattr(platform("registration_form"), name) for name in EXTENSION_FORM_GETTERS):
        missing.append(f"{form_module}.{' or '.join(EXTENSION_FORM_GETTERS)}")
    return missing


def hold_platform_exits():
    """
    Make the platform's exits held by the plugin's outboxes (``outbox.py``): what the enrollment
    code sends, emits and queues while a transaction of the plugin's is open. Once per process.
    """
    for signal_name in PLATFORM_NAMES["student_signals"][1]:
        signal = getattr(platform("student_signals"), signal_name)
        hold_at(signal, "send")
        hold_at(signal, "send_robust")
    # The openedx-events of every kind (and so the event bus): enrollment created, changed, ended...
    hold_at(platform("event_tooling").OpenEdxPublicSignal, "send_event")
    hold_at(platform("tracker"), "emit", capture=_with_tracking_context)
    for name in ("track", "identify"):
        hold_at(platform("segment"), name)
    hold_at(platform("student_tasks").send_course_enrollment_email, "apply_async")
    try:
        from celery.app.task import Task  # pylint: disable=import-outside-toplevel
    except ImportError:  # no Celery: nothing else queues tasks
        return
    hold_at(Task, "apply_async")


def _with_tracking_context(emit, *args, **kwargs):
    """A held tracking event keeps the context it was emitted in (the course's, the request's)."""
    tracker = platform("tracker").get_tracker()
    context = tracker.resolve_context()

    def emit_in_context():
        with tracker.context("tahoe_registration.held", context):
            emit(*args, **kwargs)
    return emit_in_context
