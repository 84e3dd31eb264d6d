"""
The pure-Django backend, for development, demos and tests.

It behaves like the platform where a caller can notice: a user with a profile holding the full
name, the site's registration extension form (``REGISTRATION_EXTENSION_FORM``, as the LMS names
it), an activation email whose link activates the account, a set-password email whose link lets
the learner choose a password and activates the account, and a passwordless account that "forgot
password" accepts. Its models live in the ``tahoe_registration_plugin.standalone`` app, which only
standalone settings install.
"""
import base64
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

from tahoe_registration_plugin.backends.base import PlatformBackend, save_new_user, taken_fields
from tahoe_registration_plugin.backends.site_request import current_request
from tahoe_registration_plugin.backends.standalone_enrollments import StandaloneEnrollments
from tahoe_registration_plugin.conf import configured
from tahoe_registration_plugin.data import Course, CreatedAccount, PreparedAccount
from tahoe_registration_plugin.standalone import emails

USERNAME_MIN_LENGTH = 2
USERNAME_MAX_LENGTH = 30
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
# The platform's own wording (openedx.core.djangoapps.user_api.accounts).
USERNAME_BAD_LENGTH_MSG = f"Username must be between {USERNAME_MIN_LENGTH} and {USERNAME_MAX_LENGTH} characters long."
USERNAME_INVALID_CHARS_MSG = (
    "Usernames can only contain letters (A-Z, a-z), numerals (0-9), underscores (_), and hyphens (-)."
)


def password_no_one_knows():
    """
    A usable password hash that no password matches: a PBKDF2 hash whose digest is 256 random bits.

    The platform gives a passwordless account a random password it never tells anyone, so that
    "forgot password" accepts the account (it refuses unusable passwords) while no one can sign in
    with it. Drawing the digest directly has the same effect without running the hasher.
    """
    digest = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
    return f"{PBKDF2PasswordHasher.algorithm}${PBKDF2PasswordHasher.iterations}${get_random_string(22)}${digest}"


@dataclass(frozen=True)
class StandalonePreparedAccount(PreparedAccount):
    """What ``prepare`` hands ``create_account``: the bound extension form, the password's hash, the profile's meta."""

    extension_form: Any = None
    encoded_password: str = ""
    extended_profile: Any = None


class StandaloneBackend(StandaloneEnrollments, PlatformBackend):
    """Accounts as plain Django users plus the standalone app's profile and activation record."""

    # Its migration gives auth_user unique, case-insensitive username and email indexes, and it
    # has no retired identities: the insert itself refuses every account find_conflicts would find.
    looks_for_conflicts_before_creating = False

    def prepare(self, site, account):
        field_errors = {}
        username_errors = self._username_errors(account.username)
        if username_errors:
            field_errors["username"] = username_errors
        if account.has_password:
            candidate = get_user_model()(username=account.username, email=account.email)
            try:
                validate_password(account.password, user=candidate)
            except ValidationError as error:
                field_errors["password"] = list(error.messages)
        extension_form = self._extension_form(account)
        if extension_form is not None:
            field_errors.update({name: list(messages) for name, messages in extension_form.errors.items()})
        # Hashed here, before the transaction: the hasher's quarter of a second must not hold a lock.
        encoded_password = (
            make_password(account.password) if account.has_password and not field_errors else password_no_one_knows()
        )
        return StandalonePreparedAccount(account=account, field_errors=field_errors, extension_form=extension_form,
                                         encoded_password=encoded_password,
                                         extended_profile=self._extended_profile(site, account))

    @staticmethod
    def _extended_profile(site, account):
        """
        The body's values for the site's ``extended_profile_fields`` (its configuration alone names
        them, as the platform reads them), kept in the profile's ``meta``; ``year_of_birth`` blank
        where ``ENABLE_COPPA_COMPLIANCE`` says so, as the platform's registration blanks it.
        """
        values = {name: account.extra_fields[name]
                  for name in configured("extended_profile_fields", [], site=site) or []
                  if account.extra_fields.get(name) is not None}
        values = {name: str(value) for name, value in values.items()}
        if "year_of_birth" in values:
            # As the platform's form reads it: a number, else none (and blank where COPPA applies).
            year = "" if configured("ENABLE_COPPA_COMPLIANCE", False) else values.pop("year_of_birth")
            values.pop("year_of_birth", None)
            if year.strip().isdigit():
                values["year_of_birth"] = int(year)
        return values

    @staticmethod
    def _extension_form(account):
        """
        The site's extension form (``REGISTRATION_EXTENSION_FORM``, as the LMS names it), built once
        and bound to the body, as the platform binds it: it reads only the fields it declares.
        """
        dotted_path = configured("REGISTRATION_EXTENSION_FORM")
        if not dotted_path:
            return None
        return import_string(dotted_path)(data=dict(account.extra_fields))

    @staticmethod
    def _username_errors(username):
        errors = []
        if not USERNAME_MIN_LENGTH <= len(username) <= USERNAME_MAX_LENGTH:
            errors.append(USERNAME_BAD_LENGTH_MSG)
        if not USERNAME_PATTERN.fullmatch(username):
            errors.append(USERNAME_INVALID_CHARS_MSG)
        return errors

    def find_conflicts(self, account):
        return taken_fields(get_user_model().objects.all(), username=account.username, email=account.email)

    def create_account(self, site, prepared):
        # Imported here: these models exist only where standalone settings install their app.
        from tahoe_registration_plugin.standalone import models  # pylint: disable=import-outside-toplevel

        account = prepared.account
        # Created inactive, as the platform creates every account; activation follows the commit.
        user = get_user_model()(username=account.username, email=account.email, is_active=False,
                                password=prepared.encoded_password)
        registration = models.Registration()
        save_new_user(user, prepared.extension_form, registration)
        meta = json.dumps(prepared.extended_profile) if prepared.extended_profile else ""
        profile = models.Profile.objects.create(user=user, name=account.name, meta=meta)
        return CreatedAccount(user=user, profile=profile, registration=registration)

    def find_course(self, course_key):
        from tahoe_registration_plugin.standalone import models  # pylint: disable=import-outside-toplevel

        # CourseKeyField compares without case (SQLite's NOCASE, MySQL's utf8mb4_unicode_ci), as the LMS's.
        course = models.Course.objects.filter(course_id=course_key).first()
        return Course(course.course_id, tuple(course.mode_slugs)) if course is not None else None

    def enroll(self, user, enrollments):
        from tahoe_registration_plugin.standalone import models  # pylint: disable=import-outside-toplevel

        models.CourseEnrollment.objects.bulk_create([
            models.CourseEnrollment(user=user, course_id=enrollment.course_key, mode=enrollment.mode)
            for enrollment in enrollments
        ])

    def announce_registration(self, site, created):
        # Nothing in a plain Django project listens for registrations.
        return None

    def send_activation_email(self, site, created):
        emails.send_activation_email(current_request(site), site, created.user)

    def send_set_password_email(self, site, created):
        emails.send_set_password_email(current_request(site), site, created.user)
