"""
The load test's reference endpoints: the same rows (and the same email) as a registration, or as
an enrollments call pre-enrolling addresses, with no API around them (no key, no validation, no
rate limit, no JSON errors). Served by ``bench.urls`` only, never by the plugin's URLs.
"""
import json
import uuid

from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tahoe_registration_plugin.backends.site_request import current_request
from tahoe_registration_plugin.backends.standalone import password_no_one_knows
from tahoe_registration_plugin.models import ApiKey, EnrollmentRecord, RegistrationRecord, identity_digest
from tahoe_registration_plugin.standalone import emails
from tahoe_registration_plugin.standalone.models import CourseEnrollmentAllowed, Profile, Registration

SITE_DOMAIN = "bench.example.com"


@csrf_exempt
@require_POST
def register(request):
    body = json.loads(request.body)
    site = Site.objects.get_current(request)
    with transaction.atomic():
        user = get_user_model()(username=body["username"], email=body["email"], is_active=False,
                                password=password_no_one_knows())
        user.save()
        Profile.objects.create(user=user, name=body["name"])
        Registration().register(user)
        RegistrationRecord.objects.create(
            site=site, user=user, api_key=ApiKey.objects.filter(site=site).first(), api_version="v2",
            username_digest=identity_digest(user.username), email_digest=identity_digest(user.email),
        )
    emails.send_set_password_email(current_request(site), site, user)
    return JsonResponse({"user_id": user.pk})


@csrf_exempt
@require_POST
def enroll(request):
    """The rows of an enrollments call pre-enrolling addresses: the pre-enrollments and their audit records."""
    body = json.loads(request.body)
    site = Site.objects.get_current(request)
    call_id = uuid.uuid4()
    with transaction.atomic():
        for email in body["learners"]:
            for course_id in body["courses"]:
                allowed, _created = CourseEnrollmentAllowed.objects.get_or_create(email=email, course_id=course_id)
                if not allowed.auto_enroll:
                    allowed.auto_enroll = True
                    allowed.save()
                EnrollmentRecord.objects.create(
                    site=site, api_key=ApiKey.objects.filter(site=site).first(), call_id=call_id, learner=email,
                    action="enroll", course_id=course_id, status="pre_enrolled",
                )
    return JsonResponse({"action": "enroll"})
