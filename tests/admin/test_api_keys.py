"""API keys in the admin: a key's secret is shown once, at creation or rotation; keys can be revoked."""
import datetime
from urllib.parse import quote

import pytest
from django.utils import timezone

from tahoe_registration_plugin.models import ApiKey
from tests.admin.conftest import list_page
from tests.conftest import Caller
from tests.factories import ApiKeyFactory, SiteFactory

ADD_URL = "/admin/tahoe_registration_plugin/apikey/add/"


LIST_URL = "/admin/tahoe_registration_plugin/apikey/"


def create_key_in_admin(client, site, button="_save"):
    """Open the add form and send it, as a browser does; return the answer to the POST."""
    form = client.get(ADD_URL).context["adminform"].form
    return client.post(ADD_URL, {
        "site": site.pk, "name": "Acme CRM", "description": "", "expires_at_0": "", "expires_at_1": "",
        "form_token": form["form_token"].value(), "scopes": ["register"], button: "Save",
    })


def test_creating_a_key_shows_its_secret_once(admin_client, site, learner):
    response = create_key_in_admin(admin_client, site)

    api_key = ApiKey.objects.get()
    assert response.status_code == 302
    shown = admin_client.get(response["Location"])
    secret = shown.context["secret"]
    assert secret.startswith(api_key.prefix)
    assert secret in shown.content.decode()
    assert "no-cache" in shown["Cache-Control"]
    assert api_key.created_by.username == "boss"
    # Never again: not on a refresh of that page, not on the list, not on the key's page.
    for url in (response["Location"], LIST_URL, f"{LIST_URL}{api_key.pk}/change/"):
        page = admin_client.get(url)
        assert page.status_code == 200
        assert secret not in page.content.decode()
    assert "was already shown once" in admin_client.get(response["Location"]).content.decode()
    # Nor in the session, in any form.
    session = admin_client.session
    assert secret not in str(dict(session.items()))
    # And the secret shown is the one that works.
    assert Caller(admin_client, secret).post(learner).status_code == 200


def test_sending_the_add_form_again_creates_no_second_key(admin_client, site):
    form = admin_client.get(ADD_URL).context["adminform"].form
    body = {"site": site.pk, "name": "Acme CRM", "description": "", "expires_at_0": "", "expires_at_1": "",
            "form_token": form["form_token"].value(), "scopes": ["register"], "_save": "Save"}

    first = admin_client.post(ADD_URL, body)
    again = admin_client.post(ADD_URL, body)  # the browser's refresh, or a double click

    assert ApiKey.objects.count() == 1
    assert first["Location"] == again["Location"]
    assert admin_client.get(again["Location"]).context["secret"]


@pytest.mark.parametrize("button, then", [("_addanother", ADD_URL), ("_continue", "change/"), ("_save", LIST_URL)])
def test_save_and_add_another_and_save_and_continue_show_the_secret_first(admin_client, site, button, then):
    response = create_key_in_admin(admin_client, site, button)

    shown = admin_client.get(response["Location"])
    assert shown.context["secret"]
    assert shown.context["next_url"].endswith(then)


@pytest.mark.parametrize("next_url", [
    "/\\evil.example/",         # a backslash: browsers read /\ as //
    "/\t/evil.example/",         # a tab (next=/%09/...): browsers drop it, leaving //evil.example/
    "/\n/evil.example/",
    "//evil.example/",
    "https://evil.example/",
    "http://testserver/admin/",  # this host, but over HTTP from an HTTPS page
    "javascript:alert(document.domain)",
    " javascript:alert(1)",
    "\x01//evil.example/",
])
def test_the_continue_link_goes_nowhere_but_this_site(admin_client, site, next_url):
    created = create_key_in_admin(admin_client, site)["Location"].split("?")[0]

    page = admin_client.get(f"{created}?next={quote(next_url, safe='')}", secure=True)

    api_key = ApiKey.objects.get()
    change_page = f"{LIST_URL}{api_key.pk}/change/"
    assert page.context["next_url"] == change_page
    assert f'id="api-key-continue" href="{change_page}"' in page.content.decode()


@pytest.mark.parametrize("next_url, secure", [
    (f"{LIST_URL}?site__id__exact=1", False), ("/admin/", True), ("http://testserver/admin/", False),
    ("https://testserver/admin/", True),
])
def test_the_continue_link_goes_to_a_page_of_this_site(admin_client, site, next_url, secure):
    created = create_key_in_admin(admin_client, site)["Location"].split("?")[0]

    page = admin_client.get(f"{created}?next={quote(next_url, safe='')}", secure=secure)

    assert page.context["next_url"] == next_url


def test_rotating_a_key_shows_its_replacement_once_and_lets_the_old_one_expire(
    admin_client, site, learner, settings
):
    settings.TAHOE_REGISTRATION_ROTATION_GRACE_DAYS = 3
    old = ApiKeyFactory(site=site, name="Acme CRM")

    response = admin_client.post(f"{LIST_URL}{old.pk}/rotate/")

    new = ApiKey.objects.exclude(pk=old.pk).get()
    secret = admin_client.get(response["Location"]).context["secret"]
    old.refresh_from_db()
    assert (new.site, new.name) == (site, "Acme CRM")
    assert timezone.now() + datetime.timedelta(days=2.9) < old.expires_at < timezone.now() + datetime.timedelta(days=3)
    assert Caller(admin_client, old.secret).post(learner).status_code == 200  # still works, for now
    replacement = Caller(admin_client, secret).post({**learner, "username": "bea", "email": "b@example.com"})
    assert replacement.status_code == 200
    assert admin_client.get(f"{LIST_URL}{old.pk}/rotate/").status_code == 405


def test_the_list_shows_prefix_site_name_scopes_and_dates(admin_client, site):
    api_key = ApiKeyFactory(site=site, name="Acme CRM", scopes=("register", "read"),
                            expires_at=datetime.datetime(2027, 1, 31, 23, 59, 30, tzinfo=datetime.timezone.utc))

    page = admin_client.get(LIST_URL)

    headers, [row] = list_page(page)
    assert headers == ["API key", "Site", "Scopes", "Created", "Last used", "Expires", "Revoked"]
    assert row == [f"{api_key.prefix}… (Acme CRM)", site.domain, "register, read", f"{api_key.created:%Y-%m-%d %H:%M}",
                   "-", "2027-01-31 23:59", "-"]
    assert api_key.secret not in page.content.decode()


def test_the_revoke_action_revokes_the_selected_keys(admin_client, site, learner):
    chosen, kept = ApiKeyFactory(site=site), ApiKeyFactory(site=site)

    response = admin_client.post(LIST_URL, {"action": "revoke_keys", "_selected_action": [chosen.pk]}, follow=True)

    assert "Revoked 1 API key(s)." in response.content.decode()
    assert ApiKey.objects.get(pk=chosen.pk).is_revoked
    assert not ApiKey.objects.get(pk=kept.pk).is_revoked
    assert Caller(admin_client, chosen.secret).post(learner).status_code == 401


def test_a_keys_site_cannot_be_changed(admin_client, site):
    api_key = ApiKeyFactory(site=site)
    elsewhere = SiteFactory(domain="elsewhere.example.com")

    admin_client.post(f"{LIST_URL}{api_key.pk}/change/", {"site": elsewhere.pk, "name": "Renamed", "description": "",
                                                          "expires_at_0": "", "expires_at_1": "",
                                                          "scopes": ["register"]})

    api_key.refresh_from_db()
    assert (api_key.site, api_key.name) == (site, "Renamed")


def test_the_created_page_names_the_api_on_the_keys_own_site_with_its_port(admin_client):
    site_with_a_port = SiteFactory(domain="localhost:8001")
    response = create_key_in_admin(admin_client, site_with_a_port)

    # The admin is on another host (lms.example.com) than the key's site.
    shown = admin_client.get(response["Location"], HTTP_HOST="lms.example.com")

    assert "http://localhost:8001/tahoe/api/v2/registrations/" in shown.content.decode()
