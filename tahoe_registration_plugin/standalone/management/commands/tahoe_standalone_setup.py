"""
Prepare the standalone server for ``make run``: the local sites, an admin user, two demo courses
and a fresh demo key with every scope.

Each run revokes the previous demo key and prints a new one with a curl command to paste.
"""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand
from opaque_keys.edx.keys import CourseKey

from tahoe_registration_plugin import scopes
from tahoe_registration_plugin.models import ApiKey
from tahoe_registration_plugin.rest_api.schema import DEMO_COURSE_ID
from tahoe_registration_plugin.standalone.models import Course, CourseMode

DEMO_KEY_NAME = "Demo key (make run)"
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin"
# The two demo courses: their ids, names and modes.
DEMO_COURSES = (
    (DEMO_COURSE_ID, "Demo course", ("audit", "verified")),
    ("course-v1:LocalX+Onboarding+2026", "Onboarding", ("audit",)),
)


def ensure_demo_courses():
    """The demo courses and their modes (also what the OpenAPI document's examples enroll in)."""
    for course_id, name, modes in DEMO_COURSES:
        course, _created = Course.objects.get_or_create(
            course_id=CourseKey.from_string(course_id), defaults={"display_name": name},
        )
        for mode_slug in modes:
            CourseMode.objects.get_or_create(course=course, mode_slug=mode_slug)


class Command(BaseCommand):
    help = "Ensure the 127.0.0.1 and localhost sites and an admin user, then create a fresh demo API key."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000", help="The port the server listens on, for the printed URLs.")

    def handle(self, *args, **options):
        local_site = self._ensure_sites(options["port"])
        admin_note = self._ensure_admin()
        ensure_demo_courses()
        for previous in ApiKey.objects.filter(name=DEMO_KEY_NAME, revoked_at__isnull=True):
            previous.revoke()
        _api_key, secret = ApiKey.objects.create_key(
            site=local_site, name=DEMO_KEY_NAME, description="Created by make run; revoked by the next one.",
            scopes=scopes.NAMES,
        )
        onboarding = DEMO_COURSES[1][0]
        base_url = f"http://{local_site.domain}"
        self.stdout.write(f"""
Admin:     {base_url}/admin/  ({admin_note})
API (v1):  {base_url}/tahoe/api/v1/registrations/
API (v2):  {base_url}/tahoe/api/v2/registrations/
Emails:    written as files under {settings.EMAIL_FILE_PATH}

Demo courses: {DEMO_COURSE_ID} (modes audit and verified), {onboarding} (audit)

Demo API key for site {local_site.domain}, with every scope (shown once; the next make run replaces it):
{secret}

Try it:
curl -v -X POST {base_url}/tahoe/api/v1/registrations/ \\
  -H 'Authorization: Token {secret}' \\
  -H 'Content-Type: application/json' \\
  -d '{{"username": "auserton", "email": "alex.userton@example.com", "name": "Alex Userton"}}'

Register and enroll in one call (v2):
curl -X POST {base_url}/tahoe/api/v2/registrations/ \\
  -H 'Authorization: Token {secret}' \\
  -H 'Content-Type: application/json' \\
  -d '{{"username": "bsmith", "email": "b.smith@example.com", "name": "Bea Smith",
       "enrollments": [{{"course_id": "{DEMO_COURSE_ID}"}}]}}'

Enroll learners (an email without an account is pre-enrolled, and enrolled once it is activated):
curl -X POST {base_url}/tahoe/api/v2/enrollments/ \\
  -H 'Authorization: Token {secret}' \\
  -H 'Content-Type: application/json' \\
  -d '{{"action": "enroll", "courses": ["{onboarding}"], "learners": ["bsmith", "new.hire@example.com"],
       "email_learners": true}}'

Look a learner up, list the site's courses and enrollments:
curl '{base_url}/tahoe/api/v2/users/?email=b.smith@example.com' -H 'Authorization: Token {secret}'
curl {base_url}/tahoe/api/v2/courses/ -H 'Authorization: Token {secret}'
curl '{base_url}/tahoe/api/v2/enrollments/?course_id={onboarding}' -H 'Authorization: Token {secret}'
""")

    @staticmethod
    def _ensure_sites(port):
        """
        Site 1 (SITE_ID) answers 127.0.0.1; a second site answers localhost, so a key's site scope
        shows. Their domains carry the server's port, since the links in emails name the site.
        """
        Site.objects.update_or_create(
            pk=settings.SITE_ID, defaults={"domain": f"127.0.0.1:{port}", "name": "Local site"}
        )
        second = Site.objects.filter(domain__startswith="localhost").first() or Site(name="Second local site")
        second.domain = f"localhost:{port}"
        second.save()
        return Site.objects.get(pk=settings.SITE_ID)

    @staticmethod
    def _ensure_admin():
        users = get_user_model().objects
        if users.filter(username=ADMIN_USERNAME).exists():
            return f"user {ADMIN_USERNAME!r}, password unchanged (initially {ADMIN_PASSWORD!r})"
        users.create_superuser(ADMIN_USERNAME, "admin@example.com", ADMIN_PASSWORD)
        return f"user {ADMIN_USERNAME!r}, password {ADMIN_PASSWORD!r}"
