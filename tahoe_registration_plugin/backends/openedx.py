"""
The Open edX backend: accounts created through the platform's own pipeline.

This is the only module of the plugin that imports edx-platform; it is imported when the
``TAHOE_REGISTRATION_PLATFORM_BACKEND`` setting names it (the default in an LMS), never at start-up.

What it relies on, checked against the platform's public source (openedx/openedx-platform, master
read 2026; the same names and signatures since Lilac unless noted), for Teak through master:

- ``openedx.core.djangoapps.user_authn.views.registration_form``:
  ``AccountCreationForm(data=None, extra_fields=None, extended_profile_fields=None,
  do_third_party_auth=True, tos_required=True)`` (the password policy runs only with
  ``do_third_party_auth=False``); the extension form getter is ``get_profile_extension_form`` in
  master (Verawood onward, replacing ``REGISTRATION_EXTENSION_FORM``) and
  ``get_registration_extension_form`` up to Verawood: resolved below, whichever exists.
- ``common.djangoapps.student.helpers``: ``do_create_account(form, custom_form=None)`` returning
  ``(user, profile, registration)`` and raising ``PermissionDenied`` (public account creation
  off), ``ValidationError`` (form errors) or ``AccountValidationError(message, field,
  error_code=None)`` (a duplicate found by the database); ``create_or_set_user_attribute_created_on_site(user, site)``.
- ``common.djangoapps.student.models``: ``Registration`` (``register(user)``, ``activate()``),
  ``UserProfile``, ``username_exists_or_retired(username)``, ``email_exists_or_retired(email)``,
  ``create_comments_service_user(user)``.
- ``common.djangoapps.student.views``: ``compose_and_send_activation_email(user, profile,
  user_registration=None, ...)`` (later releases add ``redirect_url`` and ``registration_flow``,
  both optional).
- ``openedx.core.djangoapps.user_authn.views.password_reset``:
  ``send_password_reset_email_for_user(user, request, preferred_email=None)``; the platform's
  reset-confirm view activates the account when the password is set.
- ``openedx.core.djangoapps.user_authn.views.register``: ``REGISTER_USER`` (a Django ``Signal``).
- ``common.djangoapps.util.password_policy_validators``: ``normalize_password(password)``.
- ``openedx.core.djangoapps.site_configuration.helpers``: ``get_value(name, default=None)``.
- ``openedx_events.learning.signals.STUDENT_REGISTRATION_COMPLETED`` with
  ``openedx_events.learning.data.UserData`` / ``UserPersonalData`` (openedx-events, a package of
  its own, installed in every LMS since Maple).
- Settings: ``ALLOW_PUBLIC_ACCOUNT_CREATION`` is a top-level setting from Ulmo on and a
  ``FEATURES`` key before; ``_platform_setting`` reads both.
"""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from edx_django_utils.user import generate_password
from openedx_events.learning.data import UserData, UserPersonalData
from openedx_events.learning.signals import STUDENT_REGISTRATION_COMPLETED

from common.djangoapps.student import helpers as student_helpers
from common.djangoapps.student import models as student_models
from common.djangoapps.student import views as student_views
from common.djangoapps.util.password_policy_validators import normalize_password
from openedx.core.djangoapps.site_configuration import helpers as configuration_helpers
from openedx.core.djangoapps.user_authn.views import password_reset, registration_form
from openedx.core.djangoapps.user_authn.views.register import REGISTER_USER

from tahoe_registration_plugin.backends.base import PlatformBackend
from tahoe_registration_plugin.errors import AccountConflict, InvalidAccount
from tahoe_registration_plugin.lookups import taken_fields

# Renamed in Verawood (REGISTRATION_EXTENSION_FORM -> PROFILE_EXTENSION_FORM); older releases have only the first.
get_extension_form = (
    getattr(registration_form, "get_profile_extension_form", None)
    or registration_form.get_registration_extension_form
)


def _platform_setting(name, default):
    """A platform flag, a top-level setting from Ulmo on and a ``FEATURES`` key before."""
    return getattr(settings, name, getattr(settings, "FEATURES", {}).get(name, default))


class OpenedxBackend(PlatformBackend):
    """Registers learners with the platform's form, account creation, signals and emails."""

    def get_site_value(self, site, name, default):
        # The request being served is for ``site``: its configuration is the current one.
        return configuration_helpers.get_value(name, default)

    @staticmethod
    def _form(account):
        """
        The platform's registration form, for the fields the API accepts.

        The caller's system collected consent, so no terms-of-service field is required, and the
        site's extra registration fields are not asked for (the API does not accept them).
        Without a password the form gets a throwaway one; the account's password is then made
        unusable.
        """
        data = {
            "username": account.username,
            "email": account.email,
            "name": account.name,
            "password": account.password if account.has_password else generate_password(),
        }
        form = registration_form.AccountCreationForm(data=data, do_third_party_auth=False, tos_required=False)
        return form, get_extension_form(data=data)

    def validate(self, account):
        form, custom_form = self._form(account)
        errors = dict(form.errors)
        if custom_form is not None:
            errors.update(custom_form.errors)
        if not account.has_password:
            errors.pop("password", None)
        return {name: list(messages) for name, messages in errors.items()}

    def find_conflicts(self, account):
        # The platform's checks cover retired identities but compare exactly; taken_fields makes
        # the comparison case-insensitive on any database, through an index.
        conflicts = set(taken_fields(get_user_model().objects.all(), username=account.username, email=account.email))
        if student_models.username_exists_or_retired(account.username):
            conflicts.add("username")
        if student_models.email_exists_or_retired(account.email):
            conflicts.add("email")
        return sorted(conflicts)

    def create_account(self, request, site, account):
        form, custom_form = self._form(account)
        try:
            if self._public_account_creation_allowed():
                user, _profile, registration = student_helpers.do_create_account(form, custom_form)
            else:
                user, registration = self._create_account_for_closed_site(form)
        except student_helpers.AccountValidationError as error:
            raise AccountConflict([error.field]) from error
        except ValidationError as error:
            # The form refuses a taken email too: when a concurrent registration took it, that is a 409.
            conflicts = self.find_conflicts(account)
            if conflicts:
                raise AccountConflict(conflicts) from error
            raise InvalidAccount(error.message_dict) from error
        if not account.has_password:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if account.is_active_at_creation:
            registration.activate()
        student_helpers.create_or_set_user_attribute_created_on_site(user, site)
        return user

    @staticmethod
    def _public_account_creation_allowed():
        return configuration_helpers.get_value(
            "ALLOW_PUBLIC_ACCOUNT_CREATION", _platform_setting("ALLOW_PUBLIC_ACCOUNT_CREATION", True)
        )

    @staticmethod
    def _create_account_for_closed_site(form):
        """
        The records ``do_create_account`` writes, for a site whose public account creation is off.

        ``do_create_account`` refuses every caller then; an API key is an administrator's grant,
        like the instructor dashboard's "register and enroll", which the platform lets create
        accounts on such sites the same way (see docs/decisions/0004).
        """
        if not form.is_valid():
            raise ValidationError(form.errors)
        data = form.cleaned_data
        user = get_user_model()(username=data["username"], email=data["email"], is_active=False)
        user.set_password(normalize_password(data["password"]))
        user.save()
        registration = student_models.Registration()
        registration.register(user)
        student_models.UserProfile(user=user, name=data["name"]).save()
        return user, registration

    def announce_registration(self, request, site, user):
        REGISTER_USER.send(sender=None, user=user, registration=student_models.Registration.objects.get(user=user))
        profile = student_models.UserProfile.objects.get(user=user)
        STUDENT_REGISTRATION_COMPLETED.send_event(
            user=UserData(
                pii=UserPersonalData(username=user.username, email=user.email, name=profile.name),
                id=user.id,
                is_active=user.is_active,
            ),
        )
        student_models.create_comments_service_user(user)

    def send_activation_email(self, request, site, user):
        profile = student_models.UserProfile.objects.get(user=user)
        registration = student_models.Registration.objects.get(user=user)
        student_views.compose_and_send_activation_email(user, profile, registration)

    def send_set_password_email(self, request, site, user):
        password_reset.send_password_reset_email_for_user(user, request)
