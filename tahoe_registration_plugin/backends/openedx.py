"""
The Open edX backend: accounts created through the platform's own pipeline.

It follows the platform's registration step by step (``openedx_platform.py`` names what is used;
docs/decisions/0005-platform-steps.rst cites each file and commit and says what the API does with
each step, and why).
"""
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from edx_django_utils.user import generate_password

from tahoe_registration_plugin.backends.base import PlatformBackend, taken_fields
from tahoe_registration_plugin.backends.openedx_enrollments import OpenedxEnrollments
from tahoe_registration_plugin.backends.openedx_platform import hold_platform_exits, missing_platform_names, platform
from tahoe_registration_plugin.backends.openedx_steps import (
    create_account_for_closed_site,
    filtered_by_the_site,
    new_extension_form,
    track_registration,
)
from tahoe_registration_plugin.backends.site_request import SiteRequest, current_request
from tahoe_registration_plugin.data import Course, CreatedAccount, PreparedAccount
from tahoe_registration_plugin.errors import AccountConflict, InvalidAccount, RegistrationRefused, item_problem
from tahoe_registration_plugin.logs import get_logger

log = get_logger(__name__)

# Only imported where the operator turned the discussion digest on (the LMS's discussion app).
DISCUSSION_DIGEST = "lms.djangoapps.discussion.notification_prefs.views"
ENROLLMENT_REFUSED_MSG = _("the site refused this enrollment.")
THIRD_PARTY_AUTH_REQUIRED_MSG = _(
    "This site creates accounts when learners first sign in through its identity provider; enroll "
    "them by email instead (POST /tahoe/api/v2/enrollments/): they are enrolled when their account is activated."
)
# Long enough that the random password of a passwordless account cannot be guessed.
RANDOM_PASSWORD_LENGTH = 32


@dataclass(frozen=True)
class OpenedxPreparedAccount(PreparedAccount):
    """What ``prepare`` hands ``create_account``: the platform's bound forms."""

    form: Any = None
    extension_form: Any = None


class OpenedxBackend(OpenedxEnrollments, PlatformBackend):
    """Registers learners with the platform's filter, forms, account creation, signals and emails."""

    def __init__(self):
        hold_platform_exits()

    @classmethod
    def missing_platform_names(cls):
        return missing_platform_names()

    def prepare(self, site, account):
        """
        Refuse where the platform's own sign-up refuses (third-party sign-in required), run the
        registration filter, then build the platform's forms once and validate with them.

        Without a password, the form gets a random one that no one is told: the account can use
        "forgot password" like any other, and no one can sign in with it. The site's password
        policy is not applied to that password (``do_third_party_auth=True``, as for an account
        whose password the learner does not choose); a password the caller sends goes through it.
        """
        if platform("authn_toggles").is_require_third_party_auth_enabled():
            raise RegistrationRefused(THIRD_PARTY_AUTH_REQUIRED_MSG, status_code=403)
        # Bound to the body, as the platform binds it (the form reads only the fields it declares).
        extension_form = new_extension_form(data=dict(account.extra_fields))
        account = filtered_by_the_site(account, extension_form)
        extended_profile_fields = platform("site_configuration").get_value("extended_profile_fields", [])
        data = {
            **{name: account.extra_fields[name] for name in extended_profile_fields if name in account.extra_fields},
            "username": account.username,
            "email": account.email,
            "name": account.name,
            "password": account.password if account.has_password else generate_password(RANDOM_PASSWORD_LENGTH),
        }
        if getattr(settings, "ENABLE_COPPA_COMPLIANCE", False) and "year_of_birth" in data:
            data["year_of_birth"] = ""
        form = platform("registration_form").AccountCreationForm(
            data=data, extended_profile_fields=extended_profile_fields, do_third_party_auth=not account.has_password,
            tos_required=False,
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
            try:
                user, profile, registration = helpers.do_create_account(form, extension_form)
            except PermissionDenied:
                # Public account creation is off here (do_create_account decides, as it reads it):
                # an API key is an administrator's grant (docs/decisions/0004). Nothing was written.
                user, profile, registration = create_account_for_closed_site(form, extension_form)
        except helpers.AccountValidationError as error:
            raise AccountConflict([error.field]) from error
        helpers.create_or_set_user_attribute_created_on_site(user, site)
        # The account is new: it has no language preference yet. The platform records the
        # language of the registering request (here, the caller's Accept-Language or the site's).
        platform("preferences").set_user_preference(user, platform("lang_pref").LANGUAGE_KEY, get_language())
        return CreatedAccount(user=user, profile=profile, registration=registration)

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
                student_models.CourseEnrollment.enroll(user, enrollment.course_key, mode=enrollment.mode,
                                                       check_access=False)
            except student_models.EnrollmentNotAllowed as refusal:
                raise InvalidAccount({"enrollments": [item_problem(
                    position, enrollment.course_key, refusal or ENROLLMENT_REFUSED_MSG,
                )]}) from refusal

    def skips_email_validation(self, user):
        # Where the platform's registration decides it (SKIP_EMAIL_VALIDATION, AUTOMATIC_AUTH_FOR_TESTING).
        return bool(platform("register")._skip_activation_email(user, None, None))  # pylint: disable=protected-access

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
        track_registration(user, profile, registration)
        if getattr(settings, "ENABLE_DISCUSSION_EMAIL_DIGEST", False):
            try:
                import_module(DISCUSSION_DIGEST).enable_notifications(user)
            except Exception:  # pylint: disable=broad-except
                log.exception("Enable discussion notifications failed for user %s.", user.pk)

    def send_activation_email(self, site, created):
        # The platform's registration links the email to where a learner goes after signing in;
        # a caller's body has no say in it (a request for the site, with no "next").
        helpers = platform("helpers")
        redirect_to, root_url = helpers.get_next_url_for_login_page(SiteRequest(site), include_host=True)
        platform("student_views").compose_and_send_activation_email(
            created.user, created.profile, created.registration,
            helpers.get_redirect_url_with_host(root_url, redirect_to), True,
        )

    def send_set_password_email(self, site, created):
        platform("password_reset").send_password_reset_email_for_user(created.user, current_request(site))
