"""
Registration, sign-in settings, preferences and password reset in the platform:

- ``openedx/core/djangoapps/user_authn/views/registration_form.py`` @ 0287d047 and @ 571fe00e:
  ``AccountCreationForm`` (username, name, the email allow-list, the password policy and the
  breached-password check only with ``do_third_party_auth=False``; each of the site's
  ``extended_profile_fields`` an optional text field, kept in ``cleaned_extended_profile``), and
  the newest ``get_registration_extension_form``: ``PROFILE_EXTENSION_FORM`` first, then
  ``REGISTRATION_EXTENSION_FORM``; a path that does not load is logged and gives None.
- ``openedx/core/djangoapps/user_authn/views/register.py`` @ 0ea7781e: ``REGISTER_USER``, and
  ``_skip_activation_email`` (``SKIP_EMAIL_VALIDATION``, ``AUTOMATIC_AUTH_FOR_TESTING``).
- ``openedx/core/djangoapps/user_authn/toggles.py`` @ 141ed804: ``ENABLE_REQUIRE_THIRD_PARTY_AUTH``.
- ``openedx/core/djangoapps/user_api/preferences/api.py`` @ e57a655d: ``set_user_preference``
  writes in the caller's transaction; its ``post_save`` emits ``edx.user.settings.changed``.
- ``openedx/core/djangoapps/user_authn/views/password_reset.py`` @ 141ed804:
  ``send_password_reset_email_for_user`` (ACE: an ``SMTPException`` is logged and reported, not
  raised), ``PasswordResetFormNoActive`` (refuses unusable passwords).
"""
import logging
import re
import smtplib
from importlib import import_module

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
from django.db.models.signals import post_save
from django.dispatch import Signal
from django.utils.http import int_to_base36

from tests.openedx_stand_ins import enrollment, site_configuration
from tests.openedx_stand_ins.models import UserPreference
from tests.openedx_stand_ins.records import calls, pwned_passwords

log = logging.getLogger("edx.student")
User = get_user_model()

# --- registration_form --------------------------------------------------------------------------------
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
        for field in self.extended_profile_fields:
            if field not in self.fields:
                self.fields[field] = forms.CharField(required=False)
        calls.append(("AccountCreationForm", extra_fields, tuple(self.extended_profile_fields), do_third_party_auth,
                      tos_required))

    @property
    def cleaned_extended_profile(self):
        return {key: value for key, value in self.cleaned_data.items()
                if key in self.extended_profile_fields and value is not None}

    def clean_year_of_birth(self):
        """An integer, or None when it is not one (the platform's own reading)."""
        try:
            return int(self.cleaned_data["year_of_birth"])
        except (KeyError, TypeError, ValueError):
            return None

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.do_third_party_auth:
            username = self.cleaned_data.get("username")
            temp_user = User(username=username, email=self.cleaned_data.get("email")) if username else None
            validate_password(password, temp_user)
            if getattr(settings, "ENABLE_AUTHN_REGISTER_HIBP_POLICY", False):
                frequency = pwned_passwords.get(password, 0)
                if frequency >= getattr(settings, "HIBP_REGISTRATION_PASSWORD_FREQUENCY_THRESHOLD", 3):
                    raise ValidationError(AUTHN_PASSWORD_COMPROMISED_MSG)
        return password

    def clean_email(self):
        email = self.cleaned_data["email"]
        allowed_patterns = getattr(settings, "REGISTRATION_EMAIL_PATTERNS_ALLOWED", None)
        if allowed_patterns is not None and not any(re.match(pattern + "$", email) for pattern in allowed_patterns):
            # An address someone was invited to a course with passes.
            if not enrollment.CourseEnrollmentAllowed.objects.filter(email=email).exists():
                raise ValidationError("Unauthorized email address.")
        if import_module("common.djangoapps.student.models").email_exists_or_retired(email):
            raise ValidationError(
                f"It looks like {email} belongs to an existing account. Try again with a different email address."
            )
        return email


def get_registration_extension_form(*args, **kwargs):
    for setting_name in ("PROFILE_EXTENSION_FORM", "REGISTRATION_EXTENSION_FORM"):
        setting_value = getattr(settings, setting_name, None)
        if setting_value:
            break
    else:
        return None
    try:
        module, klass = setting_value.rsplit(".", 1)
        return getattr(import_module(module), klass)(*args, **kwargs)
    except (ValueError, ImportError, AttributeError) as error:
        log.error("Could not load form from %s='%s': %s", setting_name, setting_value, str(error))
        return None


# --- register, toggles -------------------------------------------------------------------------------
REGISTER_USER = Signal()


def _skip_activation_email(user, running_pipeline, third_party_provider):  # pylint: disable=unused-argument
    return bool(getattr(settings, "SKIP_EMAIL_VALIDATION", False) or settings.AUTOMATIC_AUTH_FOR_TESTING)


def is_require_third_party_auth_enabled():
    return getattr(settings, "ENABLE_REQUIRE_THIRD_PARTY_AUTH", False)


# --- preferences ---------------------------------------------------------------------------------------
LANGUAGE_KEY = "pref-lang"


class PreferenceValidationError(Exception):
    pass


def set_user_preference(requesting_user, preference_key, preference_value, username=None):
    if username is not None and requesting_user.username != username:
        raise PermissionDenied()
    if preference_value is None or str(preference_value).strip() == "":
        raise PreferenceValidationError(f"Preference '{preference_key}' cannot be set to an empty value.")
    if not re.fullmatch(r"[-_a-zA-Z0-9]{1,255}", preference_key):
        raise PreferenceValidationError(f"Invalid preference key {preference_key!r}.")
    UserPreference.objects.update_or_create(user=requesting_user, key=preference_key,
                                            defaults={"value": str(preference_value)})


def preference_saved(sender, instance, **kwargs):  # pylint: disable=unused-argument
    import_module("eventtracking.tracker").emit("edx.user.settings.changed", {
        "setting": instance.key, "new": instance.value, "user_id": instance.user_id,
        "table": "user_api_userpreference",
    })


RECEIVERS = [(post_save, preference_saved, UserPreference)]

# --- password_reset ------------------------------------------------------------------------------------


def send_password_reset_email_for_user(user, request, preferred_email=None):
    site_name = site_configuration.get_value("SITE_NAME", getattr(settings, "SITE_NAME", "localhost"))
    platform_name = site_configuration.get_value("PLATFORM_NAME", getattr(settings, "PLATFORM_NAME", "Open edX"))
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
