"""Who is signed in to the admin: a superuser, or a site administrator of the first site."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command

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
