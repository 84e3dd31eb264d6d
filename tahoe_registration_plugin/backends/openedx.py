"""
The Open edX backend: accounts created through the platform's own pipeline.

It follows the platform's registration step by step, as read in openedx/openedx-platform
(``openedx_platform.py`` cites each file and commit and names what is used); what the API does
with each step, and why, is in docs/decisions/0005-platform-steps.rst.
"""
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from edx_django_utils.user import generate_password

from tahoe_registration_plugin.backends.base import PlatformBackend, taken_fields
from tahoe_registration_plugin.backends.openedx_platform import (
    create_account_for_closed_site,
    filtered_by_the_site,
    missing_platform_names,
    new_extension_form,
    platform,
    platform_setting,
    track_registration,
)
from tahoe_registration_plugin.backends.site_request import current_request
from tahoe_registration_plugin.conf import configured
from tahoe_registration_plugin.data import Course, CreatedAccount, PreparedAccount
from tahoe_registration_plugin.enrollments import item_problem
from tahoe_registration_plugin.errors import AccountConflict, InvalidAccount
from tahoe_registration_plugin.logs import get_logger

log = get_logger(__name__)

# Only imported where the operator turned the discussion digest on (the LMS's discussion app).
DISCUSSION_DIGEST = "lms.djangoapps.discussion.notification_prefs.views"
ENROLLMENT_REFUSED_MSG = _("the site refused this enrollment.")
# Long enough that the random password of a passwordless account cannot be guessed.
RANDOM_PASSWORD_LENGTH = 32


@dataclass(frozen=True)
class OpenedxPreparedAccount(PreparedAccount):
    """What ``prepare`` hands ``create_account``: the platform's bound forms."""

    form: Any = None
    extension_form: Any = None


class OpenedxBackend(PlatformBackend):
    """Registers learners with the platform's filter, forms, account creation, signals and emails."""

    @classmethod
    def missing_platform_names(cls):
        return missing_platform_names()

    def prepare(self, site, account):
        """
        Run the registration filter, then build the platform's forms once and validate with them.

        Without a password, the form gets a random one that no one is told: the account can use
        "forgot password" like any other, and no one can sign in with it. The site's password
        policy is not applied to that password (``do_third_party_auth=True``, as for an account
        whose password the learner does not choose); a password the caller sends goes through it.
        """
        # Bound to the body, as the platform binds it (the form reads only the fields it declares).
        extension_form = new_extension_form(data=dict(account.extra_fields))
        account = filtered_by_the_site(account, extension_form)
        data = {
            "username": account.username,
            "email": account.email,
            "name": account.name,
            "password": account.password if account.has_password else generate_password(RANDOM_PASSWORD_LENGTH),
        }
        form = platform("registration_form").AccountCreationForm(
            data=data, do_third_party_auth=not account.has_password, tos_required=False,
        )
        field_errors = dict(form.errors)
        if extension_form is not None:
            field_errors.update(extension_form.errors)
        return OpenedxPreparedAccount(
            account=account,
            field_errors={name: list(messages) for name, messages in field_errors.items()},
            form=form,
            extension_form=extension_form,
        )

    def skips_email_validation(self):
        return bool(platform_setting("SKIP_EMAIL_VALIDATION", False) or
                    platform_setting("AUTOMATIC_AUTH_FOR_TESTING", False))

    def learners_sign_in_with_password(self):
        return not platform("authn_toggles").is_require_third_party_auth_enabled()

    def find_conflicts(self, account):
        # The platform's checks cover retired identities but compare exactly; taken_fields makes
        # the comparison case-insensitive on any database, through an index.
        conflicts = set(taken_fields(get_user_model().objects.all(), username=account.username, email=account.email))
        student_models = platform("student_models")
        if student_models.username_exists_or_retired(account.username):
            conflicts.add("username")
        if student_models.email_exists_or_retired(account.email):
            conflicts.add("email")
        return sorted(conflicts)

    def create_account(self, site, prepared):
        form, extension_form = prepared.form, prepared.extension_form
        helpers = platform("helpers")
        try:
            if self._public_account_creation_allowed(site):
                user, profile, registration = helpers.do_create_account(form, extension_form)
            else:
                user, profile, registration = create_account_for_closed_site(form, extension_form)
        except helpers.AccountValidationError as error:
            raise AccountConflict([error.field]) from error
        helpers.create_or_set_user_attribute_created_on_site(user, site)
        # The account is new: it has no language preference yet. The platform records the
        # language of the registering request (here, the caller's Accept-Language or the site's).
        platform("preferences").set_user_preference(user, platform("lang_pref").LANGUAGE_KEY, get_language())
        return CreatedAccount(user=user, profile=profile, registration=registration)

    @staticmethod
    def _public_account_creation_allowed(site):
        return configured(
            "ALLOW_PUBLIC_ACCOUNT_CREATION", platform_setting("ALLOW_PUBLIC_ACCOUNT_CREATION", True), site=site,
        )

    def find_course(self, course_key):
        course_overview = platform("course_overviews").CourseOverview
        try:
            overview = course_overview.get_from_id(course_key)
        except course_overview.DoesNotExist:
            return None
        modes = platform("course_modes").CourseMode.modes_for_course(overview.id)
        return Course(overview.id, tuple(mode.slug for mode in modes))

    def default_mode(self, modes):
        default_slug = platform("course_modes").CourseMode.DEFAULT_MODE_SLUG
        return default_slug if default_slug in modes else super().default_mode(modes)

    def enroll(self, user, enrollments):
        """
        Through ``CourseEnrollment.enroll``, as the instructor dashboard's "register and enroll":
        an administrator's grant, so without the access checks (enrollment dates, a full course)
        a learner's own enrollment has; the ``CourseEnrollmentStarted`` filter still applies.
        """
        student_models = platform("student_models")
        for position, enrollment in enumerate(enrollments, start=1):
            try:
                student_models.CourseEnrollment.enroll(
                    user, enrollment.course_key, mode=enrollment.mode, check_access=False,
                )
            except student_models.EnrollmentNotAllowed as refusal:
                raise InvalidAccount({"enrollments": [item_problem(
                    position, enrollment.course_key, refusal or ENROLLMENT_REFUSED_MSG,
                )]}) from refusal

    def announce_registration(self, site, created):
        user, profile, registration = created.user, created.profile, created.registration
        platform("register").REGISTER_USER.send(sender=None, user=user, registration=registration)
        event_data = platform("event_data")
        platform("event_signals").STUDENT_REGISTRATION_COMPLETED.send_event(
            user=event_data.UserData(
                pii=event_data.UserPersonalData(username=user.username, email=user.email, name=profile.name),
                id=user.id,
                is_active=user.is_active,
            ),
        )
        platform("student_models").create_comments_service_user(user)
        track_registration(user, profile)
        if platform_setting("ENABLE_DISCUSSION_EMAIL_DIGEST", False):
            try:
                import_module(DISCUSSION_DIGEST).enable_notifications(user)
            except Exception:  # pylint: disable=broad-except
                log.exception("Enable discussion notifications failed for user %s.", user.pk)

    def send_activation_email(self, site, created):
        platform("student_views").compose_and_send_activation_email(created.user, created.profile, created.registration)

    def send_set_password_email(self, site, created):
        platform("password_reset").send_password_reset_email_for_user(created.user, current_request(site))
