"""The two emails of the standalone backend, written like the LMS's (subject, link, site name)."""
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

TEMPLATE_DIR = "tahoe_registration_standalone/emails"


def _send(template, request, site, user, path):
    # The link names the site, as the LMS's name its configured root: a request's Host header is the caller's to choose.
    link = f"{request.scheme}://{site.domain}{path}"
    context = {"site_name": site.name or site.domain, "link": link, "user": user}
    subject = render_to_string(f"{TEMPLATE_DIR}/{template}_subject.txt", context).strip()
    body = render_to_string(f"{TEMPLATE_DIR}/{template}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def send_activation_email(request, site, user):
    link = reverse("tahoe_registration_standalone:activate", args=[user.registration.activation_key])
    _send("activation", request, site, user, link)


def send_set_password_email(request, site, user):
    link = reverse(
        "tahoe_registration_standalone:set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    _send("set_password", request, site, user, link)


def send_enrollment_email(request, site, notice):
    """The email of one enrollment change (a ``data.EnrollmentNotice``), as the LMS's instructor emails."""
    from tahoe_registration_plugin.standalone.models import Course  # pylint: disable=import-outside-toplevel

    course = Course.objects.filter(course_id=notice.course_key).first()
    context = {
        "message_type": notice.message_type, "course_name": course.display_name if course else notice.course_key,
        "site_name": site.name or site.domain, "link": f"{request.scheme}://{site.domain}/",
        "full_name": notice.user.profile.name if notice.user is not None else "",
        "email_address": notice.email, "auto_enroll": notice.auto_enroll,
    }
    subject = render_to_string(f"{TEMPLATE_DIR}/enrollment_subject.txt", context).strip()
    body = render_to_string(f"{TEMPLATE_DIR}/enrollment_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notice.email])
