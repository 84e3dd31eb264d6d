"""
Who is signed in to the admin: a superuser, or a site administrator of the first site; and what a
list page shows.
"""
import html
import io

import pytest
from django.contrib.admin.templatetags.admin_list import result_headers, results
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils.html import strip_tags
from django.utils.text import capfirst

from tests.factories import ApiKeyFactory


@pytest.fixture
def admin_client(client, site):  # pylint: disable=unused-argument
    client.force_login(get_user_model().objects.create_superuser("boss", "boss@example.com", "a-long-passphrase"))
    return client


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


@pytest.fixture
def superuser_client(client, transactional_db):  # pylint: disable=unused-argument
    client.force_login(get_user_model().objects.create_superuser("boss", "boss@example.com", "a-long-passphrase"))
    return client


def list_page(response):
    """
    What a list page (the admin's answer, with its context) shows, as a person reads it: ``(column
    headers, rows of cell texts)``, the action checkboxes left out (the headers capitalised, as the
    admin's template does).
    """
    changelist = response.context["cl"]
    headers = list(result_headers(changelist))
    shown = [index for index, header in enumerate(headers) if "action-checkbox-column" not in header["class_attrib"]]
    return (
        [capfirst(headers[index]["text"]) for index in shown],
        [[html.unescape(strip_tags(row[index])) for index in shown] for row in results(changelist)],
    )
