"""The audit trail in the admin: listed, searched, filtered and exported, never deleted, by site."""
import csv
import datetime
import io

from django.core.management import call_command

from tahoe_registration_plugin.models import RegistrationRecord
from tests.factories import ApiKeyFactory, SiteFactory, UserFactory

RECORDS = "/admin/tahoe_registration_plugin/registrationrecord/"


def test_the_audit_trail_lists_registrations_filterable_by_site(admin_client, site):
    other = SiteFactory(domain="elsewhere.example.com")
    here = RegistrationRecord.objects.create(site=site, user=UserFactory(username="here"), api_version="v1")
    RegistrationRecord.objects.create(site=other, user=UserFactory(username="there"), api_version="v2")

    page = admin_client.get(f"/admin/tahoe_registration_plugin/registrationrecord/?site__id__exact={site.pk}")

    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [here]
    assert admin_client.get("/admin/tahoe_registration_plugin/registrationrecord/add/").status_code == 403


def test_a_site_administrator_sees_only_their_sites_records(site_admin, site, other_site):
    ours = RegistrationRecord.objects.create(site=site, user=UserFactory(), api_version="v2")
    theirs = RegistrationRecord.objects.create(site=other_site, user=UserFactory(), api_version="v2")

    page = site_admin.get(RECORDS)

    assert list(page.context["cl"].result_list) == [ours]
    assert site_admin.get(f"{RECORDS}{theirs.pk}/change/").status_code == 404


def test_records_are_searchable_by_email_and_filterable_by_version(superuser_client, site):
    wanted = RegistrationRecord.objects.create(site=site, user=UserFactory(email="wanted@example.com"),
                                               api_version="v1")
    RegistrationRecord.objects.create(site=site, user=UserFactory(), api_version="v2")

    by_email = superuser_client.get(f"{RECORDS}?q=wanted@example.com")
    by_version = superuser_client.get(f"{RECORDS}?api_version__exact=v1")

    assert list(by_email.context["cl"].result_list) == [wanted]
    assert list(by_version.context["cl"].result_list) == [wanted]


def test_records_cannot_be_deleted_in_the_admin(superuser_client, site):
    record = RegistrationRecord.objects.create(site=site, user=UserFactory(), api_version="v2")

    assert superuser_client.get(f"{RECORDS}{record.pk}/delete/").status_code == 403
    assert "delete_selected" not in superuser_client.get(RECORDS).context["action_form"].fields["action"].choices[1]


def test_records_export_as_csv_from_the_admin_and_the_command(superuser_client, site):
    api_key = ApiKeyFactory(site=site, name="Acme CRM")
    record = RegistrationRecord.objects.create(site=site, user=UserFactory(username="alex", email="a@example.com"),
                                               api_key=api_key, api_version="v2")

    response = superuser_client.post(RECORDS, {"action": "export_csv", "_selected_action": [record.pk]})
    out = io.StringIO()
    call_command("tahoe_export_registration_records", "--site", site.domain, stdout=out)

    downloaded = b"".join(response.streaming_content).decode()
    for text in (downloaded, out.getvalue()):
        header, row = list(csv.reader(io.StringIO(text)))
        assert header[:5] == ["created", "site", "user_id", "username", "email"]
        assert row[1:7] == [site.domain, str(record.user_id), "alex", "a@example.com", api_key.prefix, "Acme CRM"]
    assert response["Content-Disposition"] == 'attachment; filename="registration-records.csv"'


def test_a_record_has_a_title_a_person_reads_without_the_email(admin_client, site):
    user = UserFactory(username="alex", email="alex.userton@example.com")
    created = datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.timezone.utc)
    record = RegistrationRecord.objects.create(site=site, user=user, api_version="v2", created=created)

    assert str(record) == f"alex registered on {site.domain} (v2, 2026-11-30)"
    page = admin_client.get(f"/admin/tahoe_registration_plugin/registrationrecord/{record.pk}/change/")
    assert f"alex registered on {site.domain} (v2, 2026-11-30)" in page.content.decode()
    # The columns and filters say "API key", "API version".
    listing = admin_client.get("/admin/tahoe_registration_plugin/registrationrecord/").content.decode()
    assert "API key" in listing and "API version" in listing and "Api key" not in listing
