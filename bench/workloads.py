"""
What ``make bench`` times: registrations through the API, and the floors beside them.

Each workload registers ``count`` new learners and returns one latency per registration. The
floors write the same rows as the API with bare ORM calls, then add, one at a time, what the API
must also do: find the key and look for a taken username or email, then send the email.
"""
import time
import uuid

REFERENCE_NAME = "Bench Learner"


class Workloads:
    """One site, one key, and unique usernames for every registration of the run."""

    def __init__(self):
        # pylint: disable=import-outside-toplevel
        from django.contrib.auth import get_user_model
        from rest_framework.test import APIClient

        from tahoe_registration_plugin.models import ApiKey
        from tests.factories import SiteFactory

        self.user_model = get_user_model()
        self.site = SiteFactory(domain="bench.example.com")
        self.api_key, self.secret = ApiKey.objects.create_key(site=self.site, name="bench",
                                                              scopes=("register", "enroll", "read"))
        self.client = APIClient()
        self.counter = 0

    def next_identity(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}", f"{prefix}{self.counter}@example.com"

    def api(self, count, password=None, enrollments=(), idempotency=False):
        """Register through the whole stack: middleware, auth, validation, transaction, audit, email."""
        latencies = []
        for _ in range(count):
            username, email = self.next_identity("api")
            body = {"username": username, "email": email, "name": REFERENCE_NAME}
            if password:
                body["password"] = password
            if enrollments:
                body["enrollments"] = [{"course_id": course_id} for course_id in enrollments]
            headers = {"HTTP_IDEMPOTENCY_KEY": uuid.uuid4().hex} if idempotency else {}
            start = time.perf_counter()
            response = self.client.post(
                "/tahoe/api/v2/registrations/", body, format="json",
                HTTP_HOST=self.site.domain, HTTP_AUTHORIZATION=f"Token {self.secret}", **headers,
            )
            latencies.append(time.perf_counter() - start)
            assert response.status_code == 200, response.content
        return latencies

    def api_with_idempotency_key(self, count):
        return self.api(count, idempotency=True)

    def floor(self, count, password=None, find_key=False, email=False):
        """
        The same rows, written by bare ORM calls in one transaction: the least a registration can
        cost; with ``find_key``, also the key's query and the conflict query; with ``email``, also
        the set-password email (rendered and handed to the configured backend).
        """
        # pylint: disable=import-outside-toplevel
        from django.contrib.auth.hashers import make_password
        from django.db import transaction

        from tahoe_registration_plugin.backends.base import taken_fields
        from tahoe_registration_plugin.backends.site_request import current_request
        from tahoe_registration_plugin.backends.standalone import password_no_one_knows
        from tahoe_registration_plugin.models import ApiKey, RegistrationRecord, identity_digest
        from tahoe_registration_plugin.standalone import emails
        from tahoe_registration_plugin.standalone.models import Profile, Registration

        latencies = []
        for _ in range(count):
            username, email_address = self.next_identity("orm")
            start = time.perf_counter()
            if find_key:
                ApiKey.objects.get_by_secret(self.secret)
                taken_fields(self.user_model.objects.all(), username=username, email=email_address)
            with transaction.atomic():
                user = self.user_model(username=username, email=email_address, is_active=False)
                user.password = make_password(password) if password else password_no_one_knows()
                user.save()
                Profile.objects.create(user=user, name=REFERENCE_NAME)
                Registration().register(user)
                RegistrationRecord.objects.create(
                    site=self.site, user=user, api_key=self.api_key, api_version="v2",
                    username_digest=identity_digest(username), email_digest=identity_digest(email_address),
                )
            if email:
                emails.send_set_password_email(current_request(self.site), self.site, user)
            latencies.append(time.perf_counter() - start)
        return latencies

    def floor_with_key_and_conflict_check(self, count):
        return self.floor(count, find_key=True)

    def floor_with_email(self, count):
        return self.floor(count, find_key=True, email=True)

    def courses(self, count):
        """``count`` courses of the bench site's catalog (an organization no other site claims)."""
        # pylint: disable=import-outside-toplevel
        from opaque_keys.edx.keys import CourseKey

        from tahoe_registration_plugin.standalone.models import Course

        course_ids = [f"course-v1:BenchX+Course{n}+2026" for n in range(count)]
        for course_id in course_ids:
            Course.objects.get_or_create(course_id=CourseKey.from_string(course_id))
        return course_ids

    def platforms_own(self, count):
        """
        What the platform's own registration pays for the same account (over the stand-ins): its
        form with a password, validated with the policy, and ``do_create_account``, which hashes it.
        """
        # pylint: disable=import-outside-toplevel
        from django.db import transaction
        from edx_django_utils.user import generate_password

        from tests.openedx_stand_ins import accounts, user_authn

        latencies = []
        for _ in range(count):
            username, email = self.next_identity("lms")
            start = time.perf_counter()
            form = user_authn.AccountCreationForm(
                data={"username": username, "email": email, "name": REFERENCE_NAME, "password": generate_password()},
                do_third_party_auth=False, tos_required=False,
            )
            with transaction.atomic():
                accounts.do_create_account(form)
            latencies.append(time.perf_counter() - start)
        return latencies

    def queries_per_registration(self):
        # pylint: disable=import-outside-toplevel
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            self.api(1)
        return [query["sql"] for query in queries.captured_queries]

    def add_users(self, total):
        """Bulk-create plain users (as a big LMS has) until there are ``total``."""
        missing = total - self.user_model.objects.count()
        batch = []
        for _ in range(max(0, missing)):
            username, email = self.next_identity("old")
            batch.append(self.user_model(username=username, email=email, password="!"))
            if len(batch) == 5000:
                self.user_model.objects.bulk_create(batch)
                batch = []
        self.user_model.objects.bulk_create(batch)

    def key_lookup(self, count):
        """The key's database lookup, as authentication makes it when the cache has no copy."""
        # pylint: disable=import-outside-toplevel
        from tahoe_registration_plugin.models import ApiKey

        latencies = []
        for _ in range(count):
            start = time.perf_counter()
            ApiKey.objects.get_by_secret(self.secret)
            latencies.append(time.perf_counter() - start)
        return latencies

    def add_keys(self, total):
        # pylint: disable=import-outside-toplevel
        from tahoe_registration_plugin import keys
        from tahoe_registration_plugin.models import ApiKey

        missing = total - ApiKey.objects.count()
        batch = []
        for _ in range(missing):
            secret, prefix = keys.key_from_seed(keys.new_seed())
            batch.append(ApiKey(site=self.site, name="filler", prefix=prefix, key_hash=keys.hash_key(secret)))
        ApiKey.objects.bulk_create(batch, batch_size=5000)
