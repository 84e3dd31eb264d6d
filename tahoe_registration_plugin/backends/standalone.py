"""
The pure-Django backend, for development, demos and tests.

It behaves like the platform where a caller can notice: a user with a profile holding the full
name, an activation email whose link activates the account, and a set-password email whose link
lets the learner choose a password and activates the account. Its models live in the
``tahoe_registration_plugin.standalone`` app, which only standalone settings install.
"""
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tahoe_registration_plugin.backends.base import PlatformBackend
from tahoe_registration_plugin.lookups import taken_fields
from tahoe_registration_plugin.standalone import emails

USERNAME_MIN_LENGTH = 2
USERNAME_MAX_LENGTH = 30
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
# The platform's own wording (openedx.core.djangoapps.user_api.accounts).
USERNAME_BAD_LENGTH_MSG = f"Username must be between {USERNAME_MIN_LENGTH} and {USERNAME_MAX_LENGTH} characters long."
USERNAME_INVALID_CHARS_MSG = (
    "Usernames can only contain letters (A-Z, a-z), numerals (0-9), underscores (_), and hyphens (-)."
)


class StandaloneBackend(PlatformBackend):
    """Accounts as plain Django users plus the standalone app's profile and activation record."""

    def get_site_value(self, site, name, default):
        # A plain Django project has no per-site configuration: the settings apply to every site.
        return default

    def validate(self, account):
        errors = {}
        username_errors = self._username_errors(account.username)
        if username_errors:
            errors["username"] = username_errors
        if account.has_password:
            candidate = get_user_model()(username=account.username, email=account.email)
            try:
                validate_password(account.password, user=candidate)
            except ValidationError as error:
                errors["password"] = list(error.messages)
        return errors

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

    def create_account(self, request, site, account):
        # Imported here: these models exist only where standalone settings install their app.
        from tahoe_registration_plugin.standalone import models  # pylint: disable=import-outside-toplevel

        user = get_user_model()(
            username=account.username, email=account.email, is_active=account.is_active_at_creation
        )
        if account.has_password:
            user.set_password(account.password)
        else:
            user.set_unusable_password()
        user.save()
        models.Profile.objects.create(user=user, name=account.name)
        models.Registration().register(user)
        return user

    def announce_registration(self, request, site, user):
        # Nothing in a plain Django project listens for registrations.
        return None

    def send_activation_email(self, request, site, user):
        emails.send_activation_email(request, site, user)

    def send_set_password_email(self, request, site, user):
        emails.send_set_password_email(request, site, user)
