"""
Exporting 100,000 registration records, by the command and by the admin action, takes at most
50 MB more memory than the process had before, on SQLite and on MariaDB (whose driver, by default,
loads a query's whole result). Each export runs in a process of its own (``tests.export_memory``),
which reports its peak resident memory.

Needs ``.ci/services start`` for MariaDB; run by ``make test-services`` (on both databases).
"""
import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from tahoe_registration_plugin.models import RegistrationRecord
from tests.factories import ApiKeyFactory
from tests.live import PROJECT

pytestmark = pytest.mark.services
RECORDS = 100_000
BATCH = 5_000
MAX_GROWTH_KIB = 50 * 1024


def create_records(site, count):
    """``count`` learners and their records, in batches, with names as long as real ones."""
    api_key = ApiKeyFactory(site=site, name="Acme CRM, the production integration")
    created = timezone.now()
    User = get_user_model()
    for start in range(0, count, BATCH):
        numbers = range(start, min(start + BATCH, count))
        users = User.objects.bulk_create([
            User(username=f"learner{n:07d}", email=f"learner.number.{n:07d}@example.com", password="!")
            for n in numbers
        ])
        if users[0].pk is None:  # a database that does not return the ids of rows inserted in bulk
            users = list(User.objects.filter(username__in=[user.username for user in users]).order_by("pk"))
        RegistrationRecord.objects.bulk_create([
            RegistrationRecord(site=site, user=user, api_key=api_key, api_version="v2", created=created,
                               enrollments=[{"course_id": "course-v1:LMSX+Course1+2026", "mode": "audit"}])
            for user in users
        ])


def exported(how):
    """Run the export in a process of its own on this test's database; what it reports."""
    database = connection.settings_dict["NAME"]
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "test_settings",
        ("TEST_DB_NAME" if connection.vendor == "mysql" else "TEST_SQLITE_PATH"): str(database),
    }
    result = subprocess.run([sys.executable, "-m", "tests.export_memory", how], cwd=PROJECT, env=env,
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# The export runs in another process: the records must be committed for it to read them.
@pytest.mark.django_db(transaction=True)
def test_exporting_100000_records_takes_at_most_50_mb_more(site):
    create_records(site, RECORDS)

    reports = {how: exported(how) for how in ("command", "admin")}

    print(connection.vendor, reports)  # the figures, with pytest -s
    for report in reports.values():
        assert report["rows"] == report["records"] == RECORDS
    assert {how: report["peak_kib"] - report["baseline_kib"] <= MAX_GROWTH_KIB for how, report in reports.items()} == {
        "command": True, "admin": True,
    }, reports
