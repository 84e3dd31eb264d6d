"""
Site administrators in the LMS admin: each sees, creates, rotates and revokes only their own sites'
keys; another site's objects are a 404; superusers see everything.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tahoe_registration_plugin.models import ApiKey, RegistrationRecord, SiteAdministrator
from tests.factories import ApiKeyFactory, SiteFactory, UserFactory

KEYS = "/admin/tahoe_registration_plugin/apikey/"


RECORDS = "/admin/tahoe_registration_plugin/registrationrecord/"


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


def test_superusers_see_every_sites_keys(client, keys_of_both):
    client.force_login(get_user_model().objects.create_superuser("boss", "boss@example.com", "a-long-passphrase"))

    assert set(client.get(KEYS).context["cl"].result_list) == set(keys_of_both)


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
