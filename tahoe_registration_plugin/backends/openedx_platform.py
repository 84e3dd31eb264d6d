"""
What the Open edX backend uses of the platform, where it was read, and the platform's steps it
reproduces.

With ``backends/openedx.py``, the only module of the plugin that uses edx-platform. It imports
nothing from it at import time: the modules in ``PLATFORM_NAMES`` are imported when the backend
is first loaded, which checks that every name is there (``manage.py check`` reports the missing
ones, and the API answers a JSON 503 instead of an HTML 500), and their functions are looked up
at each call.

Read in openedx/openedx-platform (master, 2026) and followed here step by step:

- ``openedx/core/djangoapps/user_authn/views/register.py`` (commit 0ea7781e):
  ``RegistrationView.post`` runs the ``StudentRegistrationRequested`` filter on the form data,
  then ``create_account_with_params`` builds ``AccountCreationForm(data, extra_fields,
  extended_profile_fields, do_third_party_auth=False, tos_required)`` plus the extension form
  (``get_profile_extension_form``, ``get_registration_extension_form`` before Verawood), calls
  ``do_create_account``, logs the new user in, tracks ``edx.bi.user.account.registered`` in
  Segment, records ``created_on_site``, sets the ``pref-lang`` preference from ``get_language()``,
  activates the account when ``SKIP_EMAIL_VALIDATION`` / ``AUTOMATIC_AUTH_FOR_TESTING`` is set or
  else sends the activation email, enables the discussion digest when
  ``ENABLE_DISCUSSION_EMAIL_DIGEST`` is set, sends ``REGISTER_USER`` and
  ``STUDENT_REGISTRATION_COMPLETED``, and creates the forum user.
- ``openedx/core/djangoapps/user_authn/views/registration_form.py`` (commit 0287d047):
  ``AccountCreationForm.clean_password`` applies the password policy and, with
  ``ENABLE_AUTHN_REGISTER_HIBP_POLICY``, the breached-password check, only when
  ``do_third_party_auth`` is False; ``clean_email`` applies ``REGISTRATION_EMAIL_PATTERNS_ALLOWED``
  and ``email_exists_or_retired``; ``validate_name`` refuses ``<``, ``>`` and ``://``.
- ``common/djangoapps/student/helpers.py`` (commit 4b16493f): ``do_create_account(form,
  custom_form=None)`` raises ``PermissionDenied`` when public account creation is off, saves the
  user (inactive, with the form's password hashed) and the extension form's model in one atomic
  block (an ``IntegrityError`` becomes ``AccountValidationError``), then registers and profiles it.
- ``common/djangoapps/student/models/user.py`` (commit d87ee18c): ``Registration.activate()``
  saves the user active (its ``post_save`` receivers auto-enroll allowed courses) and sends
  ``USER_ACCOUNT_ACTIVATED``.
- ``common/djangoapps/student/views/management.py`` (commit fbb1fdeb):
  ``compose_and_send_activation_email`` queues a Celery task and logs and swallows any error.
- ``openedx/core/djangoapps/user_authn/views/password_reset.py`` (commit 141ed804):
  ``send_password_reset_email_for_user(user, request)`` sends through ACE (``ace.send`` reports
  channel errors instead of raising them; ``DjangoEmailChannel`` turns an ``SMTPException`` into
  one). ``PasswordResetFormNoActive``, behind "forgot password", refuses a user whose password is
  unusable, which is why a passwordless account gets a random password no one knows instead.
- ``openedx/core/djangoapps/user_authn/toggles.py``: ``is_require_third_party_auth_enabled()``.
- ``common/djangoapps/student/models/course_enrollment.py`` (commit 3eb3f982):
  ``CourseEnrollment.enroll(user, course_key, mode=None, check_access=False, ...)`` runs the
  ``CourseEnrollmentStarted`` filter (``EnrollmentNotAllowed``), then enrolls and sends
  ``ENROLL_STATUS_CHANGE`` and ``COURSE_ENROLLMENT_CREATED``; ``check_access`` adds the checks
  (enrollment dates, a full course) an administrator's enrollment skips.
- ``openedx/core/djangoapps/enrollments/api.py`` (commit 5af5f01f): the default mode is
  ``CourseMode.DEFAULT_MODE_SLUG``, else ``audit``, else ``honor``; ``CourseMode.modes_for_course``
  lists a course's current modes; ``CourseOverview.get_from_id`` raises ``DoesNotExist``.

What the API does with each step, and why, is in docs/decisions/0005-platform-steps.rst.
"""
from dataclasses import replace
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from tahoe_registration_plugin.backends.base import extension_form_values, save_new_user
from tahoe_registration_plugin.errors import RegistrationRefused

# What the backend uses: the platform's modules and names, and openedx-events / openedx-filters,
# which every LMS installs. Looked up at each call, so a name is always the platform's current one.
PLATFORM_NAMES = {
    "helpers": ("common.djangoapps.student.helpers", (
        "AccountValidationError", "create_or_set_user_attribute_created_on_site", "do_create_account",
    )),
    "student_models": ("common.djangoapps.student.models", (
        "CourseEnrollment", "EnrollmentNotAllowed", "Registration", "UserProfile", "create_comments_service_user",
        "email_exists_or_retired", "username_exists_or_retired",
    )),
    "course_modes": ("common.djangoapps.course_modes.models", ("CourseMode",)),
    "course_overviews": ("openedx.core.djangoapps.content.course_overviews.models", ("CourseOverview",)),
    "student_views": ("common.djangoapps.student.views", ("compose_and_send_activation_email",)),
    "segment": ("common.djangoapps.track.segment", ("identify", "track")),
    "password_policy": ("common.djangoapps.util.password_policy_validators", ("normalize_password",)),
    "lang_pref": ("openedx.core.djangoapps.lang_pref", ("LANGUAGE_KEY",)),
    "preferences": ("openedx.core.djangoapps.user_api.preferences.api", ("set_user_preference",)),
    "authn_toggles": ("openedx.core.djangoapps.user_authn.toggles", ("is_require_third_party_auth_enabled",)),
    "password_reset": ("openedx.core.djangoapps.user_authn.views.password_reset", (
        "send_password_reset_email_for_user",
    )),
    "register": ("openedx.core.djangoapps.user_authn.views.register", ("REGISTER_USER",)),
    "registration_form": ("openedx.core.djangoapps.user_authn.views.registration_form", ("AccountCreationForm",)),
    "event_data": ("openedx_events.learning.data", ("UserData", "UserPersonalData")),
    "event_signals": ("openedx_events.learning.signals", ("STUDENT_REGISTRATION_COMPLETED",)),
    "filters": ("openedx_filters.learning.filters", ("StudentRegistrationRequested",)),
}
# The extension form's getter, newest name first: Verawood renamed it (REGISTRATION_EXTENSION_FORM
# became PROFILE_EXTENSION_FORM); either one will do.
EXTENSION_FORM_GETTERS = ("get_profile_extension_form", "get_registration_extension_form")

REGISTERED_EVENT = "edx.bi.user.account.registered"
REFUSED_BY_FILTER_MESSAGE = _("The site refused this registration.")


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


def platform_setting(name, default):
    """A platform flag: a top-level setting from Ulmo on, a ``FEATURES`` key before."""
    return getattr(settings, name, getattr(settings, "FEATURES", {}).get(name, default))


def new_extension_form(**kwargs):
    """The site's extension form, through the platform's getter (None where the site has none)."""
    registration_form = platform("registration_form")
    getter = next(getattr(registration_form, name) for name in EXTENSION_FORM_GETTERS
                  if hasattr(registration_form, name))
    return getter(**kwargs)


def create_account_for_closed_site(form, extension_form):
    """
    The records ``do_create_account`` writes, for a site whose public account creation is off.

    ``do_create_account`` refuses every caller then; an API key is an administrator's grant,
    like the instructor dashboard's "register and enroll", which the platform lets create
    accounts on such sites the same way (see docs/decisions/0004). The forms were validated.
    """
    data = form.cleaned_data
    student_models = platform("student_models")
    user = get_user_model()(username=data["username"], email=data["email"], is_active=False)
    user.set_password(platform("password_policy").normalize_password(data["password"]))
    registration = student_models.Registration()
    save_new_user(user, extension_form, registration)
    profile = student_models.UserProfile(user=user, name=data["name"])
    profile.save()
    return user, profile, registration


def track_registration(user, profile):
    """The registration in Segment, as the platform tracks it (each call is a no-op without LMS_SEGMENT_KEY)."""
    segment = platform("segment")
    segment.identify(user.id, {"email": user.email, "username": user.username, "name": profile.name})
    segment.track(user.id, REGISTERED_EVENT, {
        "category": "conversion", "email": user.email, "label": None, "provider": None,
        "app_name": "tahoe_registration_api",
    })


def filtered_by_the_site(account, extension_form):
    """
    ``account`` as the ``StudentRegistrationRequested`` filter's pipeline leaves it.

    The filter sees what the platform's own registration view would pass it: the account's
    fields and the extension form's, in a ``QueryDict`` (the password is kept out of the
    pipeline by the filter itself). A step that raises ``PreventRegistration`` refuses it. The
    extension form (built, not validated yet) is bound to the values the filter left, as the
    platform builds its form from the filtered data.
    """
    extension_values = extension_form_values(extension_form, account)
    form_data = QueryDict(mutable=True)
    for name, value in {"username": account.username, "email": account.email, "name": account.name,
                        **extension_values}.items():
        form_data[name] = value
    if account.has_password:
        form_data["password"] = account.password
    filters = platform("filters")
    try:
        form_data = filters.StudentRegistrationRequested.run_filter(form_data=form_data)
    except filters.StudentRegistrationRequested.PreventRegistration as refusal:
        status_code = refusal.status_code if 400 <= (refusal.status_code or 0) < 500 else 400
        raise RegistrationRefused(str(refusal) or REFUSED_BY_FILTER_MESSAGE, status_code) from refusal
    filtered_extension_values = {name: form_data.get(name) for name in extension_values}
    if extension_form is not None:
        extension_form.data = filtered_extension_values
    return replace(
        account,
        username=form_data.get("username", account.username),
        email=form_data.get("email", account.email),
        name=form_data.get("name", account.name),
        extra_fields={**account.extra_fields, **filtered_extension_values},
    )
