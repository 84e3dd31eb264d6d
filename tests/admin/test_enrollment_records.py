"""The enrollments audit trail in the admin: by site, read-only, exportable; and scopes in the key's forms."""
import csv
import io
import uuid

from tahoe_registration_plugin.models import ApiKey, EnrollmentRecord
from tests.factories import ApiKeyFactory

RECORDS = "/admin/tahoe_registration_plugin/enrollmentrecord/"
KEYS = "/admin/tahoe_registration_plugin/apikey/"


def record(site, api_key=None, **fields):
    values = {"learner": "alex@example.com", "action": "enroll", "course_id": "course-v1:LMSX+Intro+2026",
              "status": "enrolled", "mode": "audit", **fields}
    return EnrollmentRecord.objects.create(site=site, api_key=api_key, call_id=uuid.uuid4(), **values)


def test_a_site_administrator_reads_only_their_sites_enrollment_records(site_admin, site, other_site):
    ours, theirs = record(site), record(other_site, learner="bo@example.com")

    page = site_admin.get(RECORDS)

    assert list(page.context["cl"].result_list) == [ours]
    assert site_admin.get(f"{RECORDS}{theirs.pk}/change/").status_code == 404
    # Another site's record cannot be selected for an export: the file holds the header alone.
    export = site_admin.post(RECORDS, {"action": "export_csv", "_selected_action": [theirs.pk]})
    assert b"".join(export.streaming_content).decode().count("\n") == 1


def test_enrollment_records_are_read_only_and_export_as_csv(superuser_client, site):
    api_key = ApiKeyFactory(site=site, name="Acme CRM")
    kept = record(site, api_key=api_key, learner="sam", status="already_enrolled")

    assert superuser_client.get(f"{RECORDS}{kept.pk}/delete/").status_code == 403
    assert superuser_client.get(f"{RECORDS}add/").status_code == 403
    response = superuser_client.post(RECORDS, {"action": "export_csv", "_selected_action": [kept.pk]})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["created", "site", "api_key_prefix", "api_key_name", "action", "learner", "user_id",
                       "course_id", "status", "mode"]
    assert rows[1][1:] == [site.domain, api_key.prefix, "Acme CRM", "enroll", "sam", "",
                           "course-v1:LMSX+Intro+2026", "already_enrolled", "audit"]


def test_scopes_are_chosen_when_a_key_is_added_and_changed_without_a_new_secret(superuser_client, site):
    superuser_client.post(f"{KEYS}add/", {"site": site.pk, "name": "Shop", "description": "",
                                          "scopes": ["enroll", "read"], "form_token": "token-1"})
    api_key = ApiKey.objects.get(name="Shop")
    assert api_key.scope_names == ("enroll", "read")
    key_hash = api_key.key_hash

    response = superuser_client.post(f"{KEYS}{api_key.pk}/change/", {"name": "Shop", "description": "",
                                                                     "scopes": ["register"]})
    refused = superuser_client.post(f"{KEYS}{api_key.pk}/change/", {"name": "Shop", "description": "",
                                                                    "scopes": []})

    assert response.status_code == 302
    api_key.refresh_from_db()
    assert (api_key.scope_names, api_key.key_hash) == (("register",), key_hash)
    assert refused.status_code == 200 and refused.context["adminform"].form.errors["scopes"]
    assert "register" in superuser_client.get(KEYS).content.decode()


def test_an_enrollment_export_writes_a_learner_a_spreadsheet_would_run_as_text(superuser_client, site):
    hostile = record(site, learner="=HYPERLINK(\"http://evil.example\")", mode="")

    response = superuser_client.post(RECORDS, {"action": "export_csv", "_selected_action": [hostile.pk]})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][5] == "'=HYPERLINK(\"http://evil.example\")"


def test_an_enrollment_records_page_names_its_fields_as_the_list_does(superuser_client, site):
    kept = record(site, api_key=ApiKeyFactory(site=site, name="Acme CRM"), learner="sam")

    page = superuser_client.get(f"{RECORDS}{kept.pk}/change/").content.decode()

    assert "API key:" in page and "Api key" not in page
