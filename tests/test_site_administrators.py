"""
Site administrators in the LMS admin: each sees, creates, rotates and revokes only their own sites'
keys and records; another site's objects are a 404; superusers see everything.
"""
import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tahoe_registration_plugin.models import ApiKey, RegistrationRecord, SiteAdministrator
from tests.factories import ApiKeyFactory, SiteFactory, UserFactory

KEYS = "/admin/tahoe_registration_plugin/apikey/"
RECORDS = "/admin/tahoe_registration_plugin/registrationrecord/"


@pytest.fixture
def site_admin(client, site):
    """A staff user with the app's permissions, administering ``site`` only."""
    user = get_user_model().objects.create_user("sitey", "sitey@example.com", "a-long-passphrase", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="tahoe_registration_plugin"))
    call_command("tahoe_site_admins", "grant", "--user", "sitey", "--site", site.domain, stdout=io.StringIO())
    client.force_login(user)
    return client


@pytest.fixture
def keys_of_both(site, other_site):
    return ApiKeyFactory(site=site, name="Ours"), ApiKeyFactory(site=other_site, name="Theirs")


def test_a_site_administrator_sees_only_their_sites_keys_and_filters(site_admin, site, keys_of_both):
    ours, theirs = keys_of_both
    second = SiteFactory(domain="second.example.com")
    SiteAdministrator.objects.create(user=get_user_model().objects.get(username="sitey"), site=second)

    page = site_admin.get(KEYS)

    assert list(page.context["cl"].result_list) == [ours]
    site_filter = next(spec for spec in page.context["cl"].filter_specs if spec.field_path == "site")
    assert sorted(label for _pk, label in site_filter.lookup_choices) == [site.domain, second.domain]
    assert theirs.prefix not in page.content.decode()


def test_a_site_administrator_is_offered_only_their_sites_when_adding_a_key(site_admin, site, other_site):
    form = site_admin.get(f"{KEYS}add/").context["adminform"].form

    assert list(form.fields["site"].queryset) == [site]
    response = site_admin.post(f"{KEYS}add/", {"site": other_site.pk, "name": "Sneaky", "description": "",
                                               "form_token": form["form_token"].value(), "_save": "Save"})
    assert response.status_code == 200  # the form again, with an error
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize("suffix, method", [("change/", "get"), ("created/", "get"), ("rotate/", "post"),
                                            ("history/", "get"), ("delete/", "get")])
def test_another_sites_key_is_a_404(site_admin, keys_of_both, suffix, method):
    _ours, theirs = keys_of_both

    response = getattr(site_admin, method)(f"{KEYS}{theirs.pk}/{suffix}")

    assert response.status_code == 404
    assert ApiKey.objects.count() == 2


def test_a_site_administrator_rotates_and_revokes_their_own_keys(site_admin, keys_of_both):
    ours, theirs = keys_of_both

    rotated = site_admin.post(f"{KEYS}{ours.pk}/rotate/")
    site_admin.post(KEYS, {"action": "revoke_keys", "_selected_action": [ours.pk, theirs.pk]})

    assert site_admin.get(rotated["Location"]).context["secret"]
    assert ApiKey.objects.get(pk=ours.pk).is_revoked
    assert not ApiKey.objects.get(pk=theirs.pk).is_revoked


def test_a_site_administrator_sees_only_their_sites_records(site_admin, site, other_site):
    ours = RegistrationRecord.objects.create(site=site, user=UserFactory(), api_version="v2")
    theirs = RegistrationRecord.objects.create(site=other_site, user=UserFactory(), api_version="v2")

    page = site_admin.get(RECORDS)

    assert list(page.context["cl"].result_list) == [ours]
    assert site_admin.get(f"{RECORDS}{theirs.pk}/change/").status_code == 404


def test_the_grants_are_for_superusers_only(site_admin, client, site):
    assert site_admin.get("/admin/tahoe_registration_plugin/siteadministrator/").status_code == 403
    superuser = get_user_model().objects.create_superuser("boss", "boss@example.com", "a-long-passphrase")
    client.force_login(superuser)
    page = client.get("/admin/tahoe_registration_plugin/siteadministrator/")
    assert [str(grant) for grant in page.context["cl"].result_list] == [f"sitey administers {site.domain}"]


def test_superusers_see_every_sites_keys(client, keys_of_both):
    client.force_login(get_user_model().objects.create_superuser("boss", "boss@example.com", "a-long-passphrase"))

    assert set(client.get(KEYS).context["cl"].result_list) == set(keys_of_both)


def test_the_command_grants_revokes_and_lists(site, db):  # pylint: disable=unused-argument
    UserFactory(username="alice")
    out = io.StringIO()

    call_command("tahoe_site_admins", "grant", "--user", "alice", "--site", site.domain, stdout=out)
    call_command("tahoe_site_admins", "list", stdout=out)
    call_command("tahoe_site_admins", "revoke", "--user", "alice", "--site", site.domain, stdout=out)

    assert out.getvalue().splitlines()[:3] == [
        f"alice now administers {site.domain}.", out.getvalue().splitlines()[1],
        f"alice no longer administers {site.domain}.",
    ]
    assert out.getvalue().splitlines()[1].startswith(f"{site.domain}\talice\t")
    assert not SiteAdministrator.objects.exists()


# --- the records an operator uses ---------------------------------------------------------------


@pytest.fixture
def superuser_client(client, transactional_db):  # pylint: disable=unused-argument
    client.force_login(get_user_model().objects.create_superuser("boss", "boss@example.com", "a-long-passphrase"))
    return client


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


@pytest.mark.parametrize("url", [KEYS, RECORDS])
def test_the_lists_query_the_database_a_fixed_number_of_times(superuser_client, site, other_site, url):
    def queries_for_a_page():
        with CaptureQueriesContext(connection) as captured:
            assert superuser_client.get(url).status_code == 200
        return len(captured)

    def add_rows(count):
        for _ in range(count):
            api_key = ApiKeyFactory(site=other_site)
            RegistrationRecord.objects.create(site=site, user=UserFactory(), api_key=api_key, api_version="v2")

    add_rows(1)
    queries_for_a_page()  # the first page of a session also loads it
    with_one = queries_for_a_page()
    add_rows(9)

    assert queries_for_a_page() == with_one
