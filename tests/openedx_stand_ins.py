"""
Stand-ins for the edx-platform modules the Open edX backend imports.

edx-platform cannot be installed here, so these small modules take the platform's import paths in
``sys.modules`` while a test runs. Each function and class keeps the signature, the return value
and the exceptions of the platform's own (see ``tahoe_registration_plugin/backends/openedx.py``
for the list and the releases), and behaves like it where the backend can notice: validation
messages, exact-match existence checks, the public-account-creation gate, the emails it sends.
They store accounts in the standalone app's tables. ``calls`` records what the platform would
have done out of sight (site attribute, forum user).
"""
import re
import sys
import types
import unicodedata
from contextlib import contextmanager

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.dispatch import Signal

from tahoe_registration_plugin.standalone.models import Profile, Registration

calls = []
site_configuration = {}
retired_usernames = set()
User = get_user_model()

# --- openedx.core.djangoapps.site_configuration.helpers ---------------------------------------


def get_value(name, default=None):
    return site_configuration.get(name, default)


# --- common.djangoapps.util.password_policy_validators ----------------------------------------


def normalize_password(password):
    return unicodedata.normalize("NFKC", password)


# --- common.djangoapps.student.models ---------------------------------------------------------
# Registration and UserProfile are the standalone app's models, which keep the platform's API.
UserProfile = Profile


def username_exists_or_retired(username):
    # The platform compares exactly; only MySQL's collation makes it case-insensitive.
    return username in retired_usernames or User.objects.filter(username=username).exists()


def email_exists_or_retired(email):
    return User.objects.filter(email=email).exists()


def create_comments_service_user(user):
    calls.append(("create_comments_service_user", user.pk))


# --- common.djangoapps.student.helpers --------------------------------------------------------


class AccountValidationError(Exception):
    def __init__(self, message, field, error_code=None):
        super().__init__(message)
        self.field = field
        self.error_code = error_code


def create_or_set_user_attribute_created_on_site(user, site):
    calls.append(("created_on_site", user.pk, site.domain))


def do_create_account(form, custom_form=None):
    if not get_value("ALLOW_PUBLIC_ACCOUNT_CREATION", True):
        raise PermissionDenied()
    errors = dict(form.errors)
    if custom_form:
        errors.update(custom_form.errors)
    if errors:
        raise ValidationError(errors)
    user = User(username=form.cleaned_data["username"], email=form.cleaned_data["email"], is_active=False)
    user.set_password(normalize_password(form.cleaned_data["password"]))
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        if username_exists_or_retired(user.username):
            raise AccountValidationError(
                "Username exists", field="username", error_code="duplicate-username"
            ) from error
        if email_exists_or_retired(user.email):
            raise AccountValidationError("Email exists", field="email", error_code="duplicate-email") from error
        raise
    registration = Registration()
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


class AccountCreationForm(forms.Form):
    username = forms.CharField(
        min_length=2, max_length=30,
        error_messages={key: USERNAME_BAD_LENGTH_MSG for key in ("required", "min_length", "max_length")},
    )
    email = forms.EmailField(
        max_length=254, min_length=3,
        error_messages={"required": EMAIL_INVALID_MSG, "invalid": EMAIL_INVALID_MSG},
    )
    password = forms.CharField()
    name = forms.CharField(
        min_length=1, max_length=255,
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

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not re.fullmatch(r"[-a-zA-Z0-9_]+", username):
            raise ValidationError(USERNAME_INVALID_CHARS_ASCII)
        return username

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.do_third_party_auth:
            username = self.cleaned_data.get("username")
            temp_user = User(username=username, email=self.cleaned_data.get("email")) if username else None
            validate_password(password, temp_user)
        return password

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email_exists_or_retired(email):
            raise ValidationError(
                f"It looks like {email} belongs to an existing account. Try again with a different email address."
            )
        return email


def get_registration_extension_form(*args, **kwargs):
    return None


# --- common.djangoapps.student.views and user_authn.views.password_reset ----------------------


def compose_and_send_activation_email(user, profile, user_registration=None, redirect_url=None,
                                      registration_flow=False):
    del redirect_url, registration_flow
    send_mail(
        "Action Required: Activate your Open edX account",
        f"Hello {profile.name}, activate your account: /activate/{user_registration.activation_key}",
        None, [user.email],
    )


def send_password_reset_email_for_user(user, request, preferred_email=None):
    send_mail(
        f"Password reset on {request.get_host()}",
        f"Hello {user.username}, choose your password.",
        None, [preferred_email or user.email],
    )


# --- openedx.core.djangoapps.user_authn.views.register ----------------------------------------
REGISTER_USER = Signal()


MODULES = {
    "common.djangoapps.student.helpers": [
        "AccountValidationError", "create_or_set_user_attribute_created_on_site", "do_create_account",
    ],
    "common.djangoapps.student.models": [
        "Registration", "UserProfile", "username_exists_or_retired", "email_exists_or_retired",
        "create_comments_service_user",
    ],
    "common.djangoapps.student.views": ["compose_and_send_activation_email"],
    "common.djangoapps.util.password_policy_validators": ["normalize_password"],
    "openedx.core.djangoapps.site_configuration.helpers": ["get_value"],
    "openedx.core.djangoapps.user_authn.views.password_reset": ["send_password_reset_email_for_user"],
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
    calls.clear()
    site_configuration.clear()
    retired_usernames.clear()
    # Only the stand-ins' own names are put in and taken out: modules that the test imports
    # meanwhile (the plugin's views, say) must stay, or later tests would see two copies of them.
    previous = {name: sys.modules.get(name) for name in STAND_IN_MODULES}
    sys.modules.update(STAND_IN_MODULES)
    try:
        yield
    finally:
        for name, module in previous.items():
            if module is None:
                del sys.modules[name]
            else:
                sys.modules[name] = module
