"""
Accounts in the platform, over the standalone app's tables and this app's:

- ``common/djangoapps/student/helpers.py`` @ 4b16493f: ``do_create_account`` reads
  ``ALLOW_PUBLIC_ACCOUNT_CREATION`` from the site configuration, else ``FEATURES``, and refuses
  with ``PermissionDenied`` before writing; saves the user and the extension form's model in an
  atomic block (an ``IntegrityError`` becomes ``AccountValidationError``), then the activation
  record and the profile, the extended profile fields as JSON in ``meta``.
  ``create_or_set_user_attribute_created_on_site`` skips ``SITE_ID``; ``get_next_url_for_login_page``
  and ``get_redirect_url_with_host`` make the activation link's next URL.
- ``common/djangoapps/student/models/user.py`` @ 0b870c13: exact ``username_exists_or_retired`` /
  ``email_exists_or_retired``; ``user_post_save_callback`` enrolls a user's ``auto_enroll``
  pre-enrollments when ``is_active`` or ``email`` changes on an existing, active user (not when
  one is created), skipping closed enrollments, the course looked up outside any ``try``.
- ``common/djangoapps/student/views/management.py`` @ 0b870c13: ``user_signup_handler`` records
  ``UserSignupSource`` from the site configuration's ``SITE_NAME`` when a user is created;
  ``compose_and_send_activation_email`` builds the message outside its ``try`` (an error there
  propagates) and swallows only the task's queueing.
"""
import json
import logging
import unicodedata
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models.signals import post_save, pre_save
from django.utils.http import url_has_allowed_host_and_scheme

from tahoe_registration_plugin.standalone.models import Profile, Registration
from tests.openedx_stand_ins import enrollment, site_configuration
from tests.openedx_stand_ins.models import UserAttribute, UserSignupSource
from tests.openedx_stand_ins.records import calls, retired_emails, retired_usernames, secondary_emails

log = logging.getLogger("edx.student")
User = get_user_model()
UserProfile = Profile

# --- common.djangoapps.student.models -----------------------------------------------------------------


def normalize_password(password):
    """``common.djangoapps.util.password_policy_validators.normalize_password``: NFKC."""
    return unicodedata.normalize("NFKC", password)


def username_exists_or_retired(username):
    # The platform compares exactly; only MySQL's collation makes it case-insensitive.
    return username in retired_usernames or User.objects.filter(username=username).exists()


def email_exists_or_retired(email):
    return email in retired_emails or email in secondary_emails or User.objects.filter(email=email).exists()


def is_email_retired(email):
    return email in retired_emails


def create_comments_service_user(user):
    calls.append(("create_comments_service_user", user.pk))


def user_pre_save_callback(sender, instance, **kwargs):  # pylint: disable=unused-argument
    previous = User.objects.filter(pk=instance.pk).values("is_active", "email").first() if instance.pk else None
    instance._changed_fields = {  # pylint: disable=protected-access
        name: old for name, old in (previous or {}).items() if getattr(instance, name) != old
    }


def user_post_save_callback(sender, instance, **kwargs):  # pylint: disable=unused-argument
    user, changed = instance, getattr(instance, "_changed_fields", {})
    if ("is_active" in changed or "email" in changed) and user.is_active:
        for allowed in enrollment.CourseEnrollmentAllowed.for_user(user).filter(auto_enroll=True):
            if enrollment.CourseEnrollment.is_enrolled(user, allowed.course_id):
                if not allowed.user:
                    allowed.user = user
                    allowed.save()
                continue
            if enrollment.CourseEnrollment.is_enrollment_closed(
                user, enrollment.CourseOverview.get_from_id(allowed.course_id)
            ):
                continue
            enrollment.CourseEnrollment.enroll(user, allowed.course_id)


def user_signup_handler(sender, instance, created=False, **kwargs):  # pylint: disable=unused-argument
    if created:
        site = site_configuration.get_value("SITE_NAME")
        if site:
            UserSignupSource.objects.create(user=instance, site=site)


RECEIVERS = [
    (pre_save, user_pre_save_callback), (post_save, user_post_save_callback), (post_save, user_signup_handler),
]

# --- common.djangoapps.student.helpers ----------------------------------------------------------------


class AccountValidationError(Exception):
    def __init__(self, message, field, error_code=None):
        super().__init__(message)
        self.field = field
        self.error_code = error_code


def create_or_set_user_attribute_created_on_site(user, site):
    if site and site.id != settings.SITE_ID:
        UserAttribute.set_user_attribute(user, "created_on_site", site.domain)


def do_create_account(form, custom_form=None):
    if not site_configuration.get_value(
        "ALLOW_PUBLIC_ACCOUNT_CREATION", settings.FEATURES.get("ALLOW_PUBLIC_ACCOUNT_CREATION", True)
    ):
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
            raise AccountValidationError("Username exists", field="username",
                                         error_code="duplicate-username") from error
        if email_exists_or_retired(user.email):
            raise AccountValidationError("Email exists", field="email", error_code="duplicate-email") from error
        raise
    registration.register(user)
    fields = ("name", "level_of_education", "gender", "mailing_address", "country", "goals", "year_of_birth")
    profile = UserProfile(user=user, **{name: form.cleaned_data.get(name) for name in fields})
    if form.cleaned_extended_profile:
        profile.meta = json.dumps(form.cleaned_extended_profile)
    profile.save()
    return user, profile, registration


def get_next_url_for_login_page(request, include_host=False):
    """The request's safe ``next`` (a path of this site), else the dashboard; with the site's root URL."""
    params = request.GET if request.method == "GET" else request.POST
    redirect_to = params.get("next")
    if not (redirect_to and url_has_allowed_host_and_scheme(redirect_to, {request.get_host()})):
        redirect_to = "/dashboard"
    root_url = site_configuration.get_value("LMS_ROOT_URL", getattr(settings, "LMS_ROOT_URL", "http://localhost"))
    return (redirect_to, root_url) if include_host else redirect_to


def get_redirect_url_with_host(root_url, redirect_to):
    _scheme, netloc, path, query, fragment = urlsplit(redirect_to)
    if not netloc:
        root = urlsplit(root_url)
        redirect_to = urlunsplit((root.scheme, root.netloc, path, query, fragment))
    return redirect_to


# --- common.djangoapps.student.views ------------------------------------------------------------------


def _send_activation_email_task(message, from_address):  # pylint: disable=unused-argument
    """``user_authn.tasks.send_activation_email``, run where Celery runs it (eagerly here): the user is read again."""
    user = User.objects.get(pk=message["user_id"])
    send_mail(message["subject"], message["body"], None, [user.email])


def compose_and_send_activation_email(user, profile, user_registration=None, redirect_url=None,
                                      registration_flow=False):
    if user_registration is None:
        user_registration = Registration.objects.get(user=user)
    root_url = site_configuration.get_value("LMS_ROOT_URL", getattr(settings, "LMS_ROOT_URL", "http://localhost"))
    link = f"{root_url}/activate/{user_registration.activation_key}"
    message = {
        "user_id": user.id, "subject": "Action Required: Activate your Open edX account",
        "body": f"Hello {profile.name}, activate your account: {link}"
                + (f"?next={redirect_url}" if redirect_url else ""),
    }
    calls.append(("compose_activation_email", user.id, redirect_url, registration_flow))
    try:
        _send_activation_email_task(message, settings.DEFAULT_FROM_EMAIL)
    except Exception:  # pylint: disable=broad-except
        log.exception(f"Activation email task failed for user {user.id}.")
