"""
``make bench``: what a registration costs, beside the least it could cost, and how it scales.

Every figure is the median of ``REPETITIONS`` repetitions, with their min–max. Within a
repetition the workloads compared run one after another in the same order (interleaved), so
drift of a shared machine affects them alike; ratios are taken within each repetition. Runs on
SQLite, or MariaDB with ``TEST_DB=mysql``, with an in-process cache, or the shared cache server an
LMS has with ``TEST_CACHE_LOCATION`` (memcached ``host:port`` or ``redis://…``): the same
switches as the tests. Prints a table; writes ``bench/results.json``.
"""
import json
import os
import platform
import secrets
import statistics
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"
OPENEDX_BACKEND = "tahoe_registration_plugin.backends.openedx.OpenedxBackend"
REPETITIONS = 5


def spread(values, digits=3):
    """The median of ``values`` with their min and max."""
    return {"median": round(statistics.median(values), digits), "min": round(min(values), digits),
            "max": round(max(values), digits)}


def interleaved(workloads, per_repetition, repetitions=REPETITIONS):
    """
    ``{name: [median latency (s) of each repetition]}``: each repetition runs every workload
    (``{name: callable(count) -> latencies}``) in turn, ``per_repetition`` registrations each.
    """
    medians = {name: [] for name in workloads}
    for _ in range(repetitions):
        for name, workload in workloads.items():
            medians[name].append(statistics.median(workload(per_repetition)))
    return medians


def compared(medians, baseline):
    """Each workload's median latency (ms) and its ratio to ``baseline``, repetition by repetition."""
    return {
        name: {
            "ms": spread([value * 1000 for value in values]),
            "ratio": spread([value / base for value, base in zip(values, medians[baseline])]),
        }
        for name, values in medians.items()
    }


def hasher_runs_per_registration(register):
    """How many times ``register(1)`` runs the password hasher."""
    # pylint: disable=import-outside-toplevel
    from unittest import mock

    from django.contrib.auth.hashers import get_hasher

    hasher_class = type(get_hasher())
    with mock.patch.object(hasher_class, "encode", autospec=True, side_effect=hasher_class.encode) as encode:
        register(1)
    return encode.call_count


def hasher_cost_ms(runs=5):
    from django.contrib.auth.hashers import make_password  # pylint: disable=import-outside-toplevel

    latencies = []
    for _ in range(runs):
        start = time.perf_counter()
        make_password(secrets.token_urlsafe(12))
        latencies.append(time.perf_counter() - start)
    return spread([value * 1000 for value in latencies], 1)


def run(quick):
    # pylint: disable=import-outside-toplevel
    from django.contrib.auth.hashers import get_hasher
    from django.core.cache import caches
    from django.db import connection
    from django.test import override_settings

    from bench.workloads import Workloads
    from tests.openedx_stand_ins import lms as openedx_stand_ins

    scale = 0.2 if quick else 1
    bench = Workloads()
    bench.api(10)  # warm up imports and caches
    bench.floor_with_email(10)
    results = {"database": connection.vendor, "cache": type(caches["default"]).__name__,
               "hasher": get_hasher().algorithm, "repetitions": REPETITIONS}

    results["queries"] = bench.queries_per_registration()
    results["passwordless"] = compared(interleaved({
        "api": bench.api,
        "api_with_idempotency_key": bench.api_with_idempotency_key,
        "floor_rows": bench.floor,
        "floor_key_and_conflict_check": bench.floor_with_key_and_conflict_check,
        "floor_email": bench.floor_with_email,
    }, int(60 * scale) or 10), baseline="floor_rows")

    password = secrets.token_urlsafe(12)
    results["with_password"] = compared(interleaved({
        "api": lambda count: bench.api(count, password=password),
        "floor_rows": lambda count: bench.floor(count, password=password),
    }, int(6 * scale) or 2, repetitions=3), baseline="floor_rows")

    with override_settings(TAHOE_REGISTRATION_PLATFORM_BACKEND=OPENEDX_BACKEND), openedx_stand_ins.installed():
        bench.api(2)  # warm up the backend's imports
        results["openedx"] = compared(interleaved({
            "api": bench.api,
            "platforms_own": bench.platforms_own,
        }, int(6 * scale) or 2, repetitions=3), baseline="platforms_own")
        results["hasher_runs"] = {"openedx": hasher_runs_per_registration(bench.api)}
    results["hasher_runs"]["standalone"] = hasher_runs_per_registration(bench.api)
    results["hasher_ms"] = hasher_cost_ms()

    course_ids = bench.courses(10)
    results["enrollments"] = compared(interleaved({
        "api_1": lambda count: bench.api(count, enrollments=course_ids[:1]),
        "api_10": lambda count: bench.api(count, enrollments=course_ids),
        "floor_rows": bench.floor,
    }, int(30 * scale) or 5), baseline="floor_rows")

    results["enrollments_call"] = enrollments_call(bench, course_ids, scale)
    results["middleware_outside_the_api"] = middleware_outside_the_api()

    bench.add_users(1000)
    results["queries_at_1000_users"] = bench.queries_per_registration()
    results["scaling"] = scaling(bench, scale)
    return results


def enrollments_call(bench, course_ids, scale):
    """An enrollments call of 100 learners × 1 course and of 10 × 10, beside its bare rows; its queries by size."""
    from bench.enrollment_workloads import EnrollmentWorkloads  # pylint: disable=import-outside-toplevel

    calls = EnrollmentWorkloads(bench)
    calls.api(2, 10, course_ids[:1])  # warm up
    figures = {}
    for name, learners, courses in (("100x1", 100, course_ids[:1]), ("10x10", 10, course_ids)):
        figures[name] = compared(interleaved({
            "api": lambda count, learners=learners, courses=courses: calls.api(count, learners, courses),
            "floor_rows": lambda count, learners=learners, courses=courses: calls.floor(count, learners, courses),
        }, int(5 * scale) or 2), baseline="floor_rows")
    figures["queries"] = {learners: len(calls.queries_per_call(learners, course_ids[:1])) for learners in (1, 10, 100)}
    return figures


def middleware_outside_the_api(calls=20_000):
    """
    What the plugin's middleware (first on every LMS request) adds to a request outside
    ``/tahoe/api/``: the per-request time of the LMS's inner handler alone, and wrapped by it.
    """
    # pylint: disable=import-outside-toplevel
    from django.http import HttpResponse
    from django.test import RequestFactory

    from tahoe_registration_plugin.rest_api.middleware import JsonErrorsUnderApiMiddleware

    factory = RequestFactory()
    requests = [factory.get(path) for path in ("/dashboard", "/courses/", "/api/user/v1/me", "/missing/")]
    answers = {"/missing/": HttpResponse(status=404)}

    def inner(request):
        return answers.get(request.path) or HttpResponse()

    wrapped = JsonErrorsUnderApiMiddleware(inner)

    def per_request(handler):
        start = time.perf_counter()
        for number in range(calls):
            handler(requests[number % len(requests)])
        return (time.perf_counter() - start) / calls

    medians = interleaved({"inner": lambda _count: [per_request(inner)],
                           "with_middleware": lambda _count: [per_request(wrapped)]}, 1)
    added = [(outer - bare) * 1e6 for outer, bare in zip(medians["with_middleware"], medians["inner"])]
    return {"inner_us": spread([value * 1e6 for value in medians["inner"]]), "added_us": spread(added)}


def scaling(bench, scale):
    """Key lookup at 10 and 100,000 keys, registration at 1,000 and 200,000 users (sizes only grow)."""
    bench.add_keys(10)
    return {
        "key_lookup": before_and_after(
            lambda: bench.key_lookup(int(400 * scale) or 50), lambda: bench.add_keys(100_000 if scale == 1 else 10_000),
        ),
        "users": before_and_after(
            lambda: bench.api(int(60 * scale) or 10), lambda: bench.add_users(200_000 if scale == 1 else 20_000),
        ),
    }


def before_and_after(measure, grow):
    """``measure()``'s median latency, ``REPETITIONS`` times, before and after ``grow()``, and their ratio."""
    small = [statistics.median(measure()) for _ in range(REPETITIONS)]
    grow()
    large = [statistics.median(measure()) for _ in range(REPETITIONS)]
    return {
        "small_ms": spread([value * 1000 for value in small]),
        "large_ms": spread([value * 1000 for value in large]),
        "ratio": spread([after / before for before, after in zip(small, large)]),
    }


def _figure(spread_, unit=""):
    return f"{spread_['median']}{unit} [{spread_['min']}–{spread_['max']}]"


def print_table(results):
    passwordless, calls = results["passwordless"], results["enrollments_call"]
    rows = [("database / cache / hasher", f"{results['database']} / {results['cache']} / {results['hasher']}", "")]
    for name, label in [("floor_rows", "floor: the rows (bare ORM)"),
                        ("floor_key_and_conflict_check", "floor: + key and conflict queries"),
                        ("floor_email", "floor: + the email"),
                        ("api", "API, passwordless"),
                        ("api_with_idempotency_key", "API, with an Idempotency-Key")]:
        rows.append((label, f"{_figure(passwordless[name]['ms'], ' ms')}  × {_figure(passwordless[name]['ratio'])}",
                     "<= 1.4 (API)" if name == "api" else ""))
    rows += [
        ("with a password: API / floor", _figure(results["with_password"]["api"]["ratio"]), ""),
        ("Open edX backend / platform's own", _figure(results["openedx"]["api"]["ratio"]), ""),
        ("v2 with 1 enrollment / floor", _figure(results["enrollments"]["api_1"]["ratio"]), ""),
        ("v2 with 10 enrollments / floor", _figure(results["enrollments"]["api_10"]["ratio"]), ""),
        *((f"enrollments call {size} / its rows", f"{_figure(calls[size]['api']['ms'], ' ms')}"
                                                  f"  × {_figure(calls[size]['api']['ratio'])}", "")
          for size in ("100x1", "10x10")),
        ("queries per enrollments call, 1 / 10 / 100 learners",
         " / ".join(str(count) for count in results["enrollments_call"]["queries"].values()), "fixed"),
        ("middleware, per request outside /tahoe/api/",
         f"+{_figure(results['middleware_outside_the_api']['added_us'], ' µs')}", "~0"),
        ("queries per registration", f"{len(results['queries'])} (at 1,000 users: "
                                     f"{len(results['queries_at_1000_users'])})", "fixed"),
        ("hasher runs per passwordless registration",
         f"standalone {results['hasher_runs']['standalone']}, Open edX {results['hasher_runs']['openedx']}", ""),
        ("one hasher run", _figure(results["hasher_ms"], " ms"), ""),
        ("key lookup, 100,000 keys / 10", _figure(results["scaling"]["key_lookup"]["ratio"]), "<= 1.2"),
        ("registration, 200,000 users / 1,000", _figure(results["scaling"]["users"]["ratio"]), "<= 1.3"),
    ]
    width = max(len(row[0]) for row in rows)
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:<52} {target}")


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
        "command": " ".join(["make bench", *sys.argv[1:]]),
    }
    print_table(results)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nWritten to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")


if __name__ == "__main__":
    main()
