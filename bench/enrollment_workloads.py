"""
What ``make bench`` times of the enrollments endpoint: a call enrolling ``learners`` × ``courses``
through the API, beside the bare ORM rows it writes (the enrollments and their audit records, in
one transaction), and the number of queries of a call as the number of learners grows.
"""
import time
import uuid


class EnrollmentWorkloads:
    """Learners of the bench site (registered through the API's records), enrolled by calls of one key."""

    def __init__(self, workloads):
        self.workloads = workloads

    def site_learners(self, count):
        """``count`` new learners of the bench site, as the API registers them (bulk)."""
        # pylint: disable=import-outside-toplevel
        from tahoe_registration_plugin.models import RegistrationRecord

        bench = self.workloads
        users = bench.user_model.objects.bulk_create([
            bench.user_model(username=username, email=email, password="!", is_active=True)
            for username, email in (bench.next_identity("enr") for _ in range(count))
        ])
        if not all(user.pk for user in users):  # MySQL's bulk_create returns no ids
            users = list(bench.user_model.objects.filter(username__in=[user.username for user in users]))
        RegistrationRecord.objects.bulk_create([
            RegistrationRecord(site=bench.site, user=user, api_key=bench.api_key, api_version="v2") for user in users
        ])
        return users

    def api(self, calls, learners, course_ids):
        """``calls`` enrollments calls, each enrolling ``learners`` new learners in ``course_ids``."""
        bench, latencies = self.workloads, []
        for _ in range(calls):
            usernames = [user.username for user in self.site_learners(learners)]
            start = time.perf_counter()
            response = bench.client.post(
                "/tahoe/api/v2/enrollments/", {"action": "enroll", "courses": course_ids, "learners": usernames},
                format="json", HTTP_HOST=bench.site.domain, HTTP_AUTHORIZATION=f"Token {bench.secret}",
            )
            latencies.append(time.perf_counter() - start)
            assert response.status_code == 200, response.content
        return latencies

    def floor(self, calls, learners, course_ids):
        """The same rows with bare ORM calls in one transaction: the enrollments and their audit records."""
        # pylint: disable=import-outside-toplevel
        from django.db import transaction
        from opaque_keys.edx.keys import CourseKey

        from tahoe_registration_plugin.models import EnrollmentRecord
        from tahoe_registration_plugin.standalone.models import CourseEnrollment

        bench, latencies = self.workloads, []
        keys = [CourseKey.from_string(course_id) for course_id in course_ids]
        for _ in range(calls):
            users = self.site_learners(learners)
            start = time.perf_counter()
            with transaction.atomic():
                CourseEnrollment.objects.bulk_create([
                    CourseEnrollment(user=user, course_id=key, mode="audit") for user in users for key in keys
                ])
                call_id = uuid.uuid4()
                EnrollmentRecord.objects.bulk_create([
                    EnrollmentRecord(site=bench.site, api_key=bench.api_key, call_id=call_id, user=user,
                                     learner=user.username, action="enroll", course_id=str(key), status="enrolled",
                                     mode="audit")
                    for user in users for key in keys
                ])
            latencies.append(time.perf_counter() - start)
        return latencies

    def queries_per_call(self, learners, course_ids):
        """The SQL of one call enrolling ``learners`` new learners in ``course_ids``."""
        # pylint: disable=import-outside-toplevel
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            self.api(1, learners, course_ids)
        return [query["sql"] for query in queries.captured_queries]
