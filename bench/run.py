"""
``make bench``: what a registration costs and how it scales.

Everything is measured as ratios inside one run, since absolute times on a shared machine drift:
the API against bare ORM writes of the same rows, 100,000 keys against 10, 200,000 users against
1,000. Runs on SQLite, or on MariaDB with ``TEST_DB=mysql`` (the same switch as the tests), in a
database of its own that it creates and drops. Prints a table; writes ``bench/results.json``.
"""
import json
import os
import platform
import secrets
import statistics
import string
import sys
import time
from pathlib import Path
from unittest import mock

RESULTS = Path(__file__).resolve().parent / "results.json"
OPENEDX_BACKEND = "tahoe_registration_plugin.backends.openedx.OpenedxBackend"


def summarize(latencies):
    ordered = sorted(latencies)
    return {
        "n": len(ordered),
        "per_second": round(len(ordered) / sum(ordered), 1),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 3),
        "p50_ms": round(ordered[len(ordered) // 2] * 1000, 3),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, 3),
    }


class Bench:
    """One site, one key, and counters for unique usernames."""

    def __init__(self):
        # pylint: disable=import-outside-toplevel
        from django.contrib.auth import get_user_model
        from rest_framework.test import APIClient

        from tahoe_registration_plugin.models import ApiKey
        from tests.factories import SiteFactory

        self.user_model = get_user_model()
        self.site = SiteFactory(domain="bench.example.com")
        self.api_key, self.secret = ApiKey.objects.create_key(site=self.site, name="bench")
        self.client = APIClient()
        self.counter = 0

    def next_identity(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}", f"{prefix}{self.counter}@example.com"

    def api(self, count, password=None, enrollments=()):
        """Register through the whole stack: middleware, auth, validation, transaction, audit, response."""
        latencies = []
        for _ in range(count):
            username, email = self.next_identity("api")
            body = {"username": username, "email": email, "name": "Bench Learner"}
            if password:
                body["password"] = password
            if enrollments:
                body["enrollments"] = [{"course_id": course_id} for course_id in enrollments]
            start = time.perf_counter()
            response = self.client.post(
                "/tahoe/api/v2/registrations/", body, format="json",
                HTTP_HOST=self.site.domain, HTTP_AUTHORIZATION=f"Token {self.secret}",
            )
            latencies.append(time.perf_counter() - start)
            assert response.status_code == 200, response.content
        return latencies

    def floor(self, count, password=None):
        """The same rows, written by bare ORM calls in one transaction: the least a registration can cost."""
        # pylint: disable=import-outside-toplevel
        from django.contrib.auth.hashers import make_password
        from django.db import transaction

        from tahoe_registration_plugin.backends.standalone import password_no_one_knows
        from tahoe_registration_plugin.models import RegistrationRecord, identity_digest
        from tahoe_registration_plugin.standalone.models import Profile, Registration

        latencies = []
        for _ in range(count):
            username, email = self.next_identity("orm")
            start = time.perf_counter()
            with transaction.atomic():
                user = self.user_model(username=username, email=email, is_active=False)
                user.password = make_password(password) if password else password_no_one_knows()
                user.save()
                Profile.objects.create(user=user, name="Bench Learner")
                Registration().register(user)
                RegistrationRecord.objects.create(
                    site=self.site, user=user, api_key=self.api_key, api_version="v2",
                    username_digest=identity_digest(username), email_digest=identity_digest(email),
                )
            latencies.append(time.perf_counter() - start)
        return latencies

    def courses(self, count):
        """``count`` courses of the bench site's catalog (an organization no other site claims)."""
        # pylint: disable=import-outside-toplevel
        from opaque_keys.edx.keys import CourseKey

        from tahoe_registration_plugin.standalone.models import Course

        course_ids = [f"course-v1:BenchX+Course{n}+2026" for n in range(count)]
        for course_id in course_ids:
            Course.objects.get_or_create(course_id=CourseKey.from_string(course_id))
        return course_ids

    def api_against_floor(self, rounds, per_round, password=None, enrollments=()):
        """Alternate blocks of each, so that drift affects both alike."""
        api, floor = [], []
        for _ in range(rounds):
            api += self.api(per_round, password, enrollments)
            floor += self.floor(per_round, password)
        api_stats, floor_stats = summarize(api), summarize(floor)
        return {"api": api_stats, "floor": floor_stats,
                "ratio_mean": round(api_stats["mean_ms"] / floor_stats["mean_ms"], 3),
                "ratio_p50": round(api_stats["p50_ms"] / floor_stats["p50_ms"], 3)}

    def platforms_own(self, count):
        """
        What the platform's own registration pays for the same account (over the stand-ins): its
        form with a password, validated with the policy, and ``do_create_account``, which hashes it.
        """
        # pylint: disable=import-outside-toplevel
        from django.db import transaction
        from edx_django_utils.user import generate_password

        from tests import openedx_stand_ins

        latencies = []
        for _ in range(count):
            username, email = self.next_identity("lms")
            start = time.perf_counter()
            form = openedx_stand_ins.AccountCreationForm(
                data={"username": username, "email": email, "name": "Bench Learner", "password": generate_password()},
                do_third_party_auth=False, tos_required=False,
            )
            with transaction.atomic():
                openedx_stand_ins.do_create_account(form)
            latencies.append(time.perf_counter() - start)
        return latencies

    def openedx_against_platform(self, rounds, per_round):
        """The Open edX backend's passwordless registration (over the stand-ins) beside the platform's own."""
        # pylint: disable=import-outside-toplevel
        from django.test import override_settings

        from tests import openedx_stand_ins

        api, own = [], []
        with override_settings(TAHOE_REGISTRATION_PLATFORM_BACKEND=OPENEDX_BACKEND), openedx_stand_ins.installed():
            self.api(2)  # warm up the backend's imports
            for _ in range(rounds):
                api += self.api(per_round)
                own += self.platforms_own(per_round)
        api_stats, own_stats = summarize(api), summarize(own)
        return {"api": api_stats, "platforms_own": own_stats,
                "ratio_mean": round(api_stats["mean_ms"] / own_stats["mean_ms"], 3),
                "ratio_p50": round(api_stats["p50_ms"] / own_stats["p50_ms"], 3)}

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

    def authentication(self, count):
        # pylint: disable=import-outside-toplevel
        from django.test import RequestFactory
        from rest_framework.request import Request

        from tahoe_registration_plugin.rest_api.authentication import ApiKeyAuthentication

        request = Request(RequestFactory().post("/", HTTP_AUTHORIZATION=f"Token {self.secret}"))
        authentication = ApiKeyAuthentication()
        latencies = []
        for _ in range(count):
            start = time.perf_counter()
            authentication.authenticate(request)
            latencies.append(time.perf_counter() - start)
        return summarize(latencies)

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


def original_password_generation():
    """The original service's way: 32 characters from ``random.choice``, hashed with the configured hasher."""
    import random  # pylint: disable=import-outside-toplevel
    return "".join(random.choice(string.ascii_letters + string.digits) for _ in range(32))


def run(quick):
    # pylint: disable=import-outside-toplevel
    from django.contrib.auth.hashers import get_hasher, make_password
    from django.db import connection

    scale = 0.2 if quick else 1
    bench = Bench()
    bench.api(5)  # warm up imports and caches
    bench.floor(5)
    results = {"database": connection.vendor, "hasher": get_hasher().algorithm}

    results["queries_at_start"] = bench.queries_per_registration()
    results["passwordless"] = bench.api_against_floor(6, int(50 * scale) or 5)
    results["with_password"] = bench.api_against_floor(2, int(10 * scale) or 2, password=secrets.token_urlsafe(12))

    results["openedx"] = bench.openedx_against_platform(3, int(10 * scale) or 2)
    course_ids = bench.courses(10)
    results["enrollments"] = {
        str(count): bench.api_against_floor(3, int(30 * scale) or 5, enrollments=course_ids[:count])
        for count in (1, 10)
    }

    # The original service generated and hashed a password where we draw a random digest.
    with mock.patch(
        "tahoe_registration_plugin.backends.standalone.password_no_one_knows",
        lambda: make_password(original_password_generation()),
    ):
        original = summarize(bench.api(int(20 * scale) or 3))
    ours = results["passwordless"]["api"]
    results["original_approach"] = {"api": original, "speedup_mean": round(original["mean_ms"] / ours["mean_ms"], 2)}

    bench.add_users(1000)
    results["queries_at_1000"] = bench.queries_per_registration()

    results["keys"] = {"10": None, "100000": None}
    bench.add_keys(10)
    results["keys"]["10"] = bench.authentication(int(3000 * scale))
    bench.add_keys(100_000 if not quick else 10_000)
    results["keys"]["100000"] = bench.authentication(int(3000 * scale))
    results["keys"]["ratio_mean"] = round(results["keys"]["100000"]["mean_ms"] / results["keys"]["10"]["mean_ms"], 3)

    results["users"] = {}
    results["users"]["1000"] = summarize(bench.api(int(150 * scale) or 10))
    bench.add_users(200_000 if not quick else 20_000)
    results["users"]["200000"] = summarize(bench.api(int(150 * scale) or 10))
    results["users"]["ratio_mean"] = round(
        results["users"]["200000"]["mean_ms"] / results["users"]["1000"]["mean_ms"], 3
    )
    return results


def print_table(results):
    passwordless, with_password = results["passwordless"], results["with_password"]
    rows = [
        ("database / hasher", f"{results['database']} / {results['hasher']}", ""),
        ("passwordless: API", _stats(passwordless["api"]), ""),
        ("passwordless: ORM floor", _stats(passwordless["floor"]), ""),
        ("passwordless: API / floor", f"{passwordless['ratio_mean']} (p50 {passwordless['ratio_p50']})", "<= 1.25"),
        ("with password: API", _stats(with_password["api"]), ""),
        ("with password: ORM floor", _stats(with_password["floor"]), ""),
        ("with password: API / floor", f"{with_password['ratio_mean']} (p50 {with_password['ratio_p50']})", ""),
        ("Open edX backend, passwordless: API", _stats(results["openedx"]["api"]), ""),
        ("the platform's own registration", _stats(results["openedx"]["platforms_own"]), ""),
        ("Open edX API / platform's own", f"{results['openedx']['ratio_mean']} "
                                          f"(p50 {results['openedx']['ratio_p50']})", ""),
        ("with 1 enrollment: API", _stats(results["enrollments"]["1"]["api"]), ""),
        ("with 1 enrollment: API / floor", str(results["enrollments"]["1"]["ratio_mean"]), ""),
        ("with 10 enrollments: API", _stats(results["enrollments"]["10"]["api"]), ""),
        ("with 10 enrollments: API / floor", str(results["enrollments"]["10"]["ratio_mean"]), ""),
        ("queries per registration", f"{len(results['queries_at_start'])} at start, "
                                     f"{len(results['queries_at_1000'])} at 1,000", "equal"),
        ("key auth: 10 keys", _stats(results["keys"]["10"]), ""),
        ("key auth: 100,000 keys", _stats(results["keys"]["100000"]), ""),
        ("key auth ratio", str(results["keys"]["ratio_mean"]), "<= 1.2"),
        ("registration: 1,000 users", _stats(results["users"]["1000"]), ""),
        ("registration: 200,000 users", _stats(results["users"]["200000"]), ""),
        ("registration users ratio", str(results["users"]["ratio_mean"]), "<= 1.3 (MariaDB)"),
        ("original (random password, hashed)", _stats(results["original_approach"]["api"]), ""),
        ("passwordless speed-up vs original", f"x{results['original_approach']['speedup_mean']}", ""),
    ]
    width = max(len(row[0]) for row in rows)
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:<58} {target}")


def _stats(stats):
    return f"{stats['per_second']:>9}/s  p50 {stats['p50_ms']:>8} ms  p95 {stats['p95_ms']:>8} ms"


def main():
    quick = "--quick" in sys.argv
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django  # pylint: disable=import-outside-toplevel
    django.setup()
    from django.db import connection  # pylint: disable=import-outside-toplevel

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    started = time.time()
    try:
        results = run(quick)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    results["machine"] = {
        "python": platform.python_version(), "django": django.get_version(), "cpus": os.cpu_count(),
        "platform": platform.platform(), "seconds": round(time.time() - started, 1), "quick": quick,
    }
    print_table(results)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nWritten to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")


if __name__ == "__main__":
    main()
