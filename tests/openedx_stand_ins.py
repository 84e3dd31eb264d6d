"""
Stand-ins for the edx-platform modules the Open edX backend uses.

edx-platform cannot be installed here, so these small modules take the platform's import paths in
``sys.modules`` while a test runs. Each keeps the signature, the return value and the exceptions
of the platform's own, and reproduces what the backend's callers would notice: what it refuses,
what it swallows, what it queues and what it signals. openedx-events and openedx-filters are the
real packages. Read in openedx/openedx-platform (master, 2026):

- ``common/djangoapps/student/helpers.py`` @ 4b16493f: ``do_create_account``,
  ``AccountValidationError``, ``create_or_set_user_attribute_created_on_site``.
- ``common/djangoapps/student/models/user.py`` @ d87ee18c: ``username_exists_or_retired``,
  ``email_exists_or_retired`` (exact match, retired and secondary emails), ``Registration.activate``
  (``USER_ACCOUNT_ACTIVATED``; the standalone model does the same).
- ``common/djangoapps/student/views/management.py`` @ fbb1fdeb:
  ``compose_and_send_activation_email`` queues a Celery task and swallows its errors.
- ``openedx/core/djangoapps/user_authn/views/registration_form.py`` @ 0287d047:
  ``AccountCreationForm`` (username, name, email allow-list, password policy and breached
  passwords only with ``do_third_party_auth=False``), ``get_registration_extension_form``.
- ``openedx/core/djangoapps/user_authn/views/password_reset.py`` @ 141ed804:
  ``send_password_reset_email_for_user`` (ACE: an ``SMTPException`` is logged and reported, not
  raised; any other error is raised), ``PasswordResetFormNoActive`` (refuses unusable passwords).
- ``openedx/core/djangoapps/site_configuration/helpers.py``: ``get_value`` reads the current
  request's site configuration (crum), merging dict defaults.
- ``common/djangoapps/student/models/course_enrollment.py`` @ 3eb3f982: ``CourseEnrollment.enroll``
  runs the ``CourseEnrollmentStarted`` filter (``EnrollmentNotAllowed``), picks the default mode,
  checks access only with ``check_access``, then sends ``ENROLL_STATUS_CHANGE`` and the
  ``COURSE_ENROLLMENT_CREATED`` event. ``CourseMode.modes_for_course`` offers the default mode to a
  course without modes; ``CourseOverview.get_from_id`` raises ``DoesNotExist``.

The accounts go in the standalone app's tables (its ``Registration`` and ``SiteConfiguration``
behave as the platform's). ``calls`` records what the platform does out of sight.
"""
import logging
import re
import smtplib
import sys
import types
import unicodedata
from collections import namedtuple
from contextlib import contextmanager

import crum
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import RegexValidator, slug_re
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils.http import int_to_base36
from django.utils.module_loading import import_string
from openedx_events.learning.data import CourseData, CourseEnrollmentData, UserData, UserPersonalData
from openedx_events.learning.signals import COURSE_ENROLLMENT_CREATED
from openedx_filters.learning.filters import CourseEnrollmentStarted

from tahoe_registration_plugin.backends import load_backend
from tahoe_registration_plugin.standalone import models as standalone_models
from tahoe_registration_plugin.standalone.models import Profile, Registration

log = logging.getLogger("edx.student")

calls = []
retired_usernames = set()
retired_emails = set()
secondary_emails = set()
# CourseEnrollmentAllowed rows: an invited address passes the email allow-list.
invited_emails = set()
# Passwords the Pwned Passwords service knows, with how often it has seen them.
pwned_passwords = {}
# UserPreference rows, visible once the transaction that wrote them has committed.
preferences = {}
User = get_user_model()

# --- openedx.core.djangoapps.site_configuration.helpers ---------------------------------------


def get_value(name, default=None):
    request = crum.get_current_request()
    configuration = getattr(getattr(request, "site", None), "configuration", None)
    value = configuration.get_value(name, default) if configuration is not None else default
    if isinstance(default, dict) and isinstance(value, dict):
        return {**default, **value}
    return value


# --- common.djangoapps.util.password_policy_validators ----------------------------------------


def normalize_password(password):
    return unicodedata.normalize("NFKC", password)


# --- common.djangoapps.student.models ---------------------------------------------------------
# The standalone app's models keep the platform's API (``register``, ``activate``, ``name``).
UserProfile = Profile


def username_exists_or_retired(username):
    # The platform compares exactly; only MySQL's collation makes it case-insensitive.
    return username in retired_usernames or User.objects.filter(username=username).exists()


def email_exists_or_retired(email):
    return email in retired_emails or email in secondary_emails or User.objects.filter(email=email).exists()


def create_comments_service_user(user):
    calls.append(("create_comments_service_user", user.pk))


class CourseEnrollmentException(Exception):
    pass


class NonExistentCourseError(CourseEnrollmentException):
    pass


class EnrollmentNotAllowed(CourseEnrollmentException):
    pass


ENROLL_STATUS_CHANGE = Signal()


class CourseEnrollment:
    """``student.CourseEnrollment``'s ``enroll``, over the standalone app's enrollment table."""

    @classmethod
    def enroll(cls, user, course_key, mode=None, check_access=False, can_upgrade=False, enterprise_uuid=None):
        del can_upgrade, enterprise_uuid
        try:
            user, course_key, mode = CourseEnrollmentStarted.run_filter(user=user, course_key=course_key, mode=mode)
        except CourseEnrollmentStarted.PreventEnrollment as exc:
            raise EnrollmentNotAllowed(str(exc)) from exc
        if mode is None:
            mode = CourseMode.DEFAULT_MODE_SLUG
        try:
            course = CourseOverview.get_from_id(course_key)
        except CourseOverview.DoesNotExist:
            course = None
            if check_access:
                raise NonExistentCourseError  # pylint: disable=raise-missing-from
        enrollment, _created = standalone_models.CourseEnrollment.objects.update_or_create(
            user=user, course_id=course_key, defaults={"mode": mode, "is_active": True},
        )
        ENROLL_STATUS_CHANGE.send(sender=None, event="enroll", user=user, course_id=course_key, mode=mode)
        COURSE_ENROLLMENT_CREATED.send_event(enrollment=CourseEnrollmentData(
            user=UserData(pii=UserPersonalData(username=user.username, email=user.email, name=user.profile.name),
                          id=user.id, is_active=user.is_active),
            course=CourseData(course_key=course_key, display_name=course.display_name if course else ""),
            mode=enrollment.mode, is_active=enrollment.is_active, creation_date=enrollment.created,
        ))
        return enrollment


# --- common.djangoapps.course_modes.models and course_overviews -------------------------------
Mode = namedtuple("Mode", "slug name")


class CourseMode:
    DEFAULT_MODE_SLUG = "audit"

    @classmethod
    def modes_for_course(cls, course_id):
        course = standalone_models.Course.objects.filter(course_id=course_id).first()
        slugs = course.mode_slugs if course is not None else [cls.DEFAULT_MODE_SLUG]
        return [Mode(slug, slug.title()) for slug in slugs]


class CourseOverview:
    """A course's overview: ``id`` is its key as stored (the lookup compares without case, as MySQL's collation)."""

    DoesNotExist = standalone_models.Course.DoesNotExist

    def __init__(self, course):
        self.id = course.course_id
        self.org = course.course_id.org
        self.display_name = course.display_name

    @classmethod
    def get_from_id(cls, course_key):
        return cls(standalone_models.Course.objects.get(course_id=course_key))


# --- common.djangoapps.student.helpers --------------------------------------------------------


class AccountValidationError(Exception):
    def __init__(self, message, field, error_code=None):
        super().__init__(message)
        self.field = field
        self.error_code = error_code


def create_or_set_user_attribute_created_on_site(user, site):
    if site and site.id != settings.SITE_ID:
        calls.append(("created_on_site", user.pk, site.domain))


def _allow_public_account_creation():
    flag = getattr(settings, "ALLOW_PUBLIC_ACCOUNT_CREATION", getattr(settings, "FEATURES", {}).get(
        "ALLOW_PUBLIC_ACCOUNT_CREATION", True))
    return get_value("ALLOW_PUBLIC_ACCOUNT_CREATION", flag)


def do_create_account(form, custom_form=None):
    if not _allow_public_account_creation():
        raise PermissionDenied()
    errors = dict(form.errors)
    if custom_form:
        errors.update(custom_form.errors)
    if errors:
        raise ValidationError(errors)
    user = User(username=form.cleaned_data["username"], email=form.cleaned_data["email"], is_active=False)
    user.set_password(normalize_password(form.cleaned_data["password"]))
    registration = Registration()
    try:
        with transaction.atomic():
            user.save()
            if custom_form:
                custom_model = custom_form.save(commit=False)
                custom_model.user = user
                custom_model.save()
    except IntegrityError as error:
        if username_exists_or_retired(user.username):
            raise AccountValidationError(
                "Username exists", field="username", error_code="duplicate-username"
            ) from error
        if email_exists_or_retired(user.email):
            raise AccountValidationError("Email exists", field="email", error_code="duplicate-email") from error
        raise
    registration.register(user)
    profile = UserProfile(user=user, name=form.cleaned_data["name"])
    profile.save()
    return user, profile, registration


# --- openedx.core.djangoapps.user_authn.views.registration_form -------------------------------
USERNAME_BAD_LENGTH_MSG = "Username must be between 2 and 30 characters long."
USERNAME_INVALID_CHARS_ASCII = (
    "Usernames can only contain letters (A-Z, a-z), numerals (0-9), underscores (_), and hyphens (-)."
)
EMAIL_INVALID_MSG = "A properly formatted e-mail is required"
AUTHN_PASSWORD_COMPROMISED_MSG = (
    "The password you entered is on a list of known compromised passwords. Please choose a different one."
)


def validate_name(name):
    if re.search("(<|>)", name):
        raise forms.ValidationError("Full Name cannot contain the following characters: < >")
    if "://" in name:
        raise forms.ValidationError("Enter a valid name")


def check_pwned_password(password):
    frequency = pwned_passwords.get(password)
    return {"vulnerability": "yes", "frequency": frequency} if frequency else {"vulnerability": "no"}


class UsernameField(forms.CharField):
    default_validators = [RegexValidator(regex=slug_re, message=USERNAME_INVALID_CHARS_ASCII, code="invalid")]

    def __init__(self):
        super().__init__(
            min_length=2, max_length=30,
            error_messages={key: USERNAME_BAD_LENGTH_MSG for key in ("required", "min_length", "max_length")},
        )

    def clean(self, value):
        return forms.CharField.clean(self, self.to_python(value).strip())


class AccountCreationForm(forms.Form):
    username = UsernameField()
    email = forms.EmailField(
        max_length=254, min_length=3,
        error_messages={"required": EMAIL_INVALID_MSG, "invalid": EMAIL_INVALID_MSG},
    )
    password = forms.CharField()
    name = forms.CharField(
        min_length=1, max_length=255, validators=[validate_name],
        error_messages={"required": "Your legal name must be a minimum of one character long"},
    )

    def __init__(self, data=None, extra_fields=None, extended_profile_fields=None, do_third_party_auth=True,
                 tos_required=True):
        super().__init__(data)
        self.extended_profile_fields = extended_profile_fields or {}
        self.do_third_party_auth = do_third_party_auth
        if tos_required:
            self.fields["terms_of_service"] = forms.BooleanField()
        calls.append(("AccountCreationForm", extra_fields, do_third_party_auth, tos_required))

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.do_third_party_auth:
            username = self.cleaned_data.get("username")
            temp_user = User(username=username, email=self.cleaned_data.get("email")) if username else None
            validate_password(password, temp_user)
            if getattr(settings, "ENABLE_AUTHN_REGISTER_HIBP_POLICY", False):
                pwned = check_pwned_password(password)
                threshold = getattr(settings, "HIBP_REGISTRATION_PASSWORD_FREQUENCY_THRESHOLD", 3)
                if pwned["vulnerability"] == "yes" and pwned["frequency"] >= threshold:
                    raise ValidationError(AUTHN_PASSWORD_COMPROMISED_MSG)
        return password

    def clean_email(self):
        email = self.cleaned_data["email"]
        allowed_patterns = getattr(settings, "REGISTRATION_EMAIL_PATTERNS_ALLOWED", None)
        if allowed_patterns is not None:
            if not any(re.match(pattern + "$", email) for pattern in allowed_patterns):
                if email not in invited_emails:
                    raise ValidationError("Unauthorized email address.")
        if email_exists_or_retired(email):
            raise ValidationError(
                f"It looks like {email} belongs to an existing account. Try again with a different email address."
            )
        return email


def get_registration_extension_form(*args, **kwargs):
    if not getattr(settings, "REGISTRATION_EXTENSION_FORM", None):
        return None
    return import_string(settings.REGISTRATION_EXTENSION_FORM)(*args, **kwargs)


# --- common.djangoapps.student.views ----------------------------------------------------------


def _activation_email_task(user, profile, registration):
    """``user_authn.tasks.send_activation_email``, run where Celery runs it (eagerly in tests)."""
    root_url = get_value("LMS_ROOT_URL", getattr(settings, "LMS_ROOT_URL", "http://localhost"))
    send_mail(
        "Action Required: Activate your Open edX account",
        f"Hello {profile.name}, activate your account: {root_url}/activate/{registration.activation_key}",
        None, [user.email],
    )


def compose_and_send_activation_email(user, profile, user_registration=None, redirect_url=None,
                                      registration_flow=False):
    del redirect_url, registration_flow
    try:
        _activation_email_task(user, profile, user_registration)
    except Exception:  # pylint: disable=broad-except
        log.exception(f"Activation email task failed for user {user.id}.")


# --- openedx.core.djangoapps.user_authn.views.password_reset ----------------------------------


def send_password_reset_email_for_user(user, request, preferred_email=None):
    site_name = get_value("SITE_NAME", getattr(settings, "SITE_NAME", "localhost"))
    platform_name = get_value("PLATFORM_NAME", getattr(settings, "PLATFORM_NAME", "Open edX"))
    reset_link = (
        f"{'https' if request.is_secure() else 'http'}://{site_name}/password_reset_confirm/"
        f"{int_to_base36(user.id)}-{default_token_generator.make_token(user)}/?track=pwreset"
    )
    # ace.send: DjangoEmailChannel turns an SMTPException into a reported channel error.
    try:
        send_mail(f"Password reset on {platform_name}", f"Hello {user.username}, choose your password: {reset_link}",
                  None, [preferred_email or user.email])
    except smtplib.SMTPException:
        log.exception("An SMTP error occurred (and logged) from Django send_email()")
        calls.append(("ace_report", "django_email_error"))


class PasswordResetFormNoActive(PasswordResetForm):
    error_messages = {
        "unknown": "That e-mail address doesn't have an associated user account. Are you sure you've registered?",
        "unusable": "The user account associated with this e-mail address cannot reset the password.",
    }
    users_cache = []

    def clean_email(self):
        email = self.cleaned_data["email"]
        self.users_cache = User.objects.filter(email__iexact=email)
        if not self.users_cache:
            raise forms.ValidationError(self.error_messages["unknown"])
        if any(user.password.startswith(UNUSABLE_PASSWORD_PREFIX) for user in self.users_cache):
            raise forms.ValidationError(self.error_messages["unusable"])
        return email

    def save(self, use_https=False, token_generator=default_token_generator,  # pylint: disable=arguments-differ
             request=None, **_kwargs):
        for user in self.users_cache:
            send_password_reset_email_for_user(user, request)


# --- the rest: registration signal, language preference, third-party auth, Segment ------------
REGISTER_USER = Signal()
# openedx.core.djangoapps.user_api.accounts.signals: sent by LMSAccountRetirementView with ``user``.
USER_RETIRE_LMS_MISC = Signal()
LANGUAGE_KEY = "pref-lang"


def set_user_preference(requesting_user, preference_key, preference_value, username=None):
    if username not in (None, requesting_user.username) and not requesting_user.is_staff:
        raise PermissionDenied()
    if not re.fullmatch(r"[a-zA-Z0-9_-]{1,255}", preference_key) or preference_value in (None, ""):
        raise ValidationError(f"Invalid preference {preference_key!r}.")
    user_id = requesting_user.pk
    transaction.on_commit(lambda: preferences.__setitem__((user_id, preference_key), str(preference_value)))


def is_require_third_party_auth_enabled():
    return getattr(settings, "ENABLE_REQUIRE_THIRD_PARTY_AUTH", False)


def identify(user_id, properties, context=None):  # pylint: disable=unused-argument
    if getattr(settings, "LMS_SEGMENT_KEY", None):
        calls.append(("segment.identify", user_id, dict(properties)))


def track(user_id, event_name, properties=None, context=None, traits=None):  # pylint: disable=unused-argument
    if event_name is not None and getattr(settings, "LMS_SEGMENT_KEY", None):
        calls.append(("segment.track", user_id, event_name, dict(properties or {})))


MODULES = {
    "common.djangoapps.student.helpers": [
        "AccountValidationError", "create_or_set_user_attribute_created_on_site", "do_create_account",
    ],
    "common.djangoapps.student.models": [
        "CourseEnrollment", "EnrollmentNotAllowed", "Registration", "UserProfile", "username_exists_or_retired",
        "email_exists_or_retired", "create_comments_service_user",
    ],
    "common.djangoapps.course_modes.models": ["CourseMode"],
    "openedx.core.djangoapps.content.course_overviews.models": ["CourseOverview"],
    "common.djangoapps.student.views": ["compose_and_send_activation_email"],
    "common.djangoapps.track.segment": ["identify", "track"],
    "common.djangoapps.util.password_policy_validators": ["normalize_password"],
    "openedx.core.djangoapps.lang_pref": ["LANGUAGE_KEY"],
    "openedx.core.djangoapps.site_configuration.helpers": ["get_value"],
    "openedx.core.djangoapps.user_api.preferences.api": ["set_user_preference"],
    "openedx.core.djangoapps.user_api.accounts.signals": ["USER_RETIRE_LMS_MISC"],
    "openedx.core.djangoapps.user_authn.toggles": ["is_require_third_party_auth_enabled"],
    "openedx.core.djangoapps.user_authn.views.password_reset": [
        "send_password_reset_email_for_user", "PasswordResetFormNoActive",
    ],
    "openedx.core.djangoapps.user_authn.views.registration_form": [
        "AccountCreationForm", "get_registration_extension_form",
    ],
    "openedx.core.djangoapps.user_authn.views.register": ["REGISTER_USER"],
}


def _build_modules():
    this = sys.modules[__name__]
    modules = {}
    for dotted, names in MODULES.items():
        parts = dotted.split(".")
        for depth in range(1, len(parts) + 1):
            name = ".".join(parts[:depth])
            modules.setdefault(name, types.ModuleType(name, f"Stand-in for edx-platform's {name}."))
        for attribute in names:
            setattr(modules[dotted], attribute, getattr(this, attribute))
    for name, module in modules.items():
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(modules[parent], child, module)
    return modules


STAND_IN_MODULES = _build_modules()


@contextmanager
def installed():
    """The stand-ins in ``sys.modules`` for the duration, with empty records."""
    for record in (calls, retired_usernames, retired_emails, secondary_emails, invited_emails, pwned_passwords,
                   preferences):
        record.clear()
    # Only the stand-ins' own names are put in and taken out: modules that the test imports
    # meanwhile (the plugin's views, say) must stay, or later tests would see two copies of them.
    previous = {name: sys.modules.get(name) for name in STAND_IN_MODULES}
    sys.modules.update(STAND_IN_MODULES)
    # A process loads its backend once; with and without the stand-ins are two different processes.
    load_backend.cache_clear()
    try:
        yield
    finally:
        load_backend.cache_clear()
        for name, module in previous.items():
            if module is None:
                del sys.modules[name]
            else:
                sys.modules[name] = module
