"""
``make run``'s server under a burst: its SQLite database waits for the lock as the tests' does, so
300 simultaneous registrations are answered 200 or 409, never 503 "database is locked".
"""
import os
import re
import subprocess
import sys
from collections import Counter

import pytest

from tests.live import PROJECT, free_port, post_at_once, serving

BURST = 300
pytestmark = pytest.mark.services


def manage(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT, env=env, check=True,
                          capture_output=True, text=True).stdout


def test_a_burst_of_300_registrations_on_make_runs_server(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dev_settings", "DEV_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
           "TEST_REGISTRATION_RATE": "100000/minute"}
    env.pop("TEST_DB", None)
    manage(env, "migrate", "--no-input", "-v", "0")
    port = free_port()
    printed = manage(env, "tahoe_standalone_setup", "--port", str(port))
    secret = re.search(r"Token (\S+)'", printed).group(1)
    # Half of the burst repeats the other half: each pair is one account and one 409.
    bodies = [{"username": f"learner{n % (BURST // 2)}", "email": f"learner{n % (BURST // 2)}@example.com",
               "name": "Burst Learner"} for n in range(BURST)]

    with serving(env, port) as url:
        results = post_at_once(url, "/tahoe/api/v2/registrations/", bodies, f"127.0.0.1:{port}", secret)

    assert Counter(status for status, _body in results) == {200: BURST // 2, 409: BURST // 2}


def printed_curls(printed):
    """The curl commands ``tahoe_standalone_setup`` prints, each on one line."""
    commands, current = [], None
    for line in printed.splitlines():
        if line.startswith("curl "):
            current = [line]
            commands.append(current)
        elif current is not None and line.strip():
            current.append(line)
        else:
            current = None
    return [" ".join(part.rstrip("\\").strip() for part in command) for command in commands]


def test_every_curl_make_run_prints_works_on_its_server(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dev_settings", "DEV_SQLITE_PATH": str(tmp_path / "db.sqlite3")}
    env.pop("TEST_DB", None)
    manage(env, "migrate", "--no-input", "-v", "0")
    port = free_port()
    commands = printed_curls(manage(env, "tahoe_standalone_setup", "--port", str(port)))

    with serving(env, port):
        statuses = [subprocess.run(f"{command} -s -o /dev/null -w '%{{http_code}}'", shell=True, check=True,
                                   capture_output=True, text=True).stdout for command in commands]

    assert len(commands) == 6  # v1 and v2 registrations, enrollments, users, courses, enrollments listed
    assert statuses == ["200"] * 6, list(zip(commands, statuses))
