"""
``make loadtest``: the standalone project under gunicorn, driven by concurrent clients.

Serves ``bench.wsgi`` with gunicorn (``WORKERS`` processes × ``THREADS`` threads, as an LMS is
served) on a database of its own (SQLite, or MariaDB with ``TEST_DB=mysql``), then runs, for a
fixed time each and interleaved ``REPETITIONS`` times, ``CLIENTS`` clients registering unique
passwordless learners through the API (v2) and through the reference endpoint, which writes the
same rows and sends the same email with no API around them; then pre-enrolling unique addresses
through the enrollments endpoint and through its reference. Reports requests/s, p50/p95/p99 and
errors of each; writes ``bench/loadtest.json``.
"""
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "loadtest.json"
WORKERS, THREADS, CLIENTS = 2, 8, 16
SECONDS = float(os.environ.get("LOADTEST_SECONDS", "10"))
REPETITIONS = 3
HOST = "bench.example.com"
COURSE_ID = "course-v1:LoadX+Course+2026"


def registration_body(username):
    return {"username": username, "email": f"{username}@example.com", "name": "Load Learner"}


def enrollment_body(username):
    """Pre-enroll a new address (an onboarding's commonest call): a pre-enrollment and its audit record."""
    return {"action": "enroll", "courses": [COURSE_ID], "learners": [f"{username}@example.com"]}


# Each workload: its path and its body; each API endpoint beside its reference, which writes the same rows.
PATHS = {
    "api": ("/tahoe/api/v2/registrations/", registration_body),
    "reference": ("/bench/reference/registrations/", registration_body),
    "enrollments": ("/tahoe/api/v2/enrollments/", enrollment_body),
    "reference_enrollments": ("/bench/reference/enrollments/", enrollment_body),
}
COMPARED = {"api": "reference", "enrollments": "reference_enrollments"}


def prepare_database():
    """Migrate the load test's database from scratch; create the site and a key; return the key."""
    # pylint: disable=import-outside-toplevel
    import django
    from django.core.management import call_command

    django.setup()
    from django.contrib.sites.models import Site
    from django.db import connection
    from opaque_keys.edx.keys import CourseKey

    from tahoe_registration_plugin.models import ApiKey
    from tahoe_registration_plugin.standalone.models import Course, CourseMode

    if connection.vendor == "sqlite":
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{connection.settings_dict['NAME']}{suffix}").unlink(missing_ok=True)
    else:
        name = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:  # pylint: disable=protected-access
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci")
    call_command("migrate", verbosity=0)
    site, _created = Site.objects.update_or_create(pk=1, defaults={"domain": HOST, "name": "Bench"})
    _api_key, secret = ApiKey.objects.create_key(site=site, name="loadtest", scopes=("register", "enroll"))
    course = Course.objects.create(course_id=CourseKey.from_string(COURSE_ID), display_name="Load course")
    CourseMode.objects.create(course=course, mode_slug="audit")
    connection.close()
    return connection.vendor, secret


def serve(port):
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--threads", str(THREADS), "--worker-class", "gthread",
         "--log-level", "warning", "--backlog", "2048"],
        cwd=PROJECT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.loadtest_settings"},
    )


def wait_until_up(port, process, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn did not start")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/tahoe/api/v2/registrations/", headers={"Host": HOST})
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer")


def drive(port, workload, secret, seconds):
    """``CLIENTS`` threads calling ``workload`` (a ``PATHS`` entry) for unique learners for ``seconds``."""
    path, body_of = workload
    latencies, failures, lock = [], [], threading.Lock()
    stop_at = time.monotonic() + seconds
    run_id = uuid.uuid4().hex[:8]

    def client(number):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        sent = 0
        mine, bad = [], []
        while time.monotonic() < stop_at:
            sent += 1
            username = f"l{run_id}{number}x{sent}"
            body = json.dumps(body_of(username))
            headers = {"Host": HOST, "Content-Type": "application/json", "Authorization": f"Token {secret}"}
            start = time.perf_counter()
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine.append(time.perf_counter() - start)
            if status != 200:
                bad.append(status)
        with lock:
            latencies.extend(mine)
            failures.extend(bad)

    threads = [threading.Thread(target=client, args=(number,)) for number in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures


def figures(latencies, failures, seconds):
    ordered = sorted(latencies)

    def percentile(share):
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000, 1)

    return {"requests_per_second": round(len(ordered) / seconds, 1), "p50_ms": percentile(0.50),
            "p95_ms": percentile(0.95), "p99_ms": percentile(0.99), "errors": len(failures),
            "error_kinds": sorted({str(failure) for failure in failures})}


def main():
    sys.path.insert(0, str(PROJECT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.loadtest_settings"
    vendor, secret = prepare_database()
    port = 8790
    server = serve(port)
    try:
        wait_until_up(port, server)
        for workload in PATHS.values():
            drive(port, workload, secret, 2)  # warm up every worker
        runs = {name: [] for name in PATHS}
        for _ in range(REPETITIONS):
            for name, workload in PATHS.items():
                runs[name].append(figures(*drive(port, workload, secret, SECONDS), SECONDS))
    finally:
        server.terminate()
        server.wait(timeout=30)
    rates = {name: [run["requests_per_second"] for run in results] for name, results in runs.items()}
    summary = {
        "database": vendor, "server": f"gunicorn gthread, {WORKERS} workers x {THREADS} threads",
        "clients": CLIENTS, "seconds_per_run": SECONDS, "repetitions": REPETITIONS, "runs": runs,
    }
    for name, reference in COMPARED.items():
        shares = [api / base for api, base in zip(rates[name], rates[reference])]
        summary[f"{name}_share_of_reference"] = {"median": round(statistics.median(shares), 3),
                                                 "min": round(min(shares), 3), "max": round(max(shares), 3)}
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"{vendor}: gunicorn {WORKERS} workers x {THREADS} threads, {CLIENTS} clients, "
          f"{REPETITIONS} x {SECONDS:g} s each, interleaved")
    for name, results in runs.items():
        median_run = sorted(results, key=lambda run: run["requests_per_second"])[len(results) // 2]
        print(f"  {name:<22} {statistics.median(rates[name]):>7.1f} req/s [{min(rates[name])}–{max(rates[name])}]  "
              f"p50 {median_run['p50_ms']} ms  p95 {median_run['p95_ms']} ms  p99 {median_run['p99_ms']} ms  "
              f"errors {sum(run['errors'] for run in results)}")
    for name, reference in COMPARED.items():
        share = summary[f"{name}_share_of_reference"]
        print(f"  {name} / {reference}: {share['median']:.0%} [{share['min']:.0%}–{share['max']:.0%}]"
              + ("  (target >= 80%)" if name == "api" else ""))
    print(f"Written to {RESULTS.relative_to(PROJECT)}")


if __name__ == "__main__":
    main()
