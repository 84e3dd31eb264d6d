"""``tahoe_create_api_key``: a new key, its secret printed once."""
import datetime

import pytest
from django.core.management import CommandError
from django.utils import timezone

from tahoe_registration_plugin.models import ApiKey
from tests.conftest import Caller
from tests.factories import UserFactory
from tests.management.commands import run


def test_create_prints_the_secret_alone_on_the_last_line(client, site, learner):
    UserFactory(username="operator")
    output = run("tahoe_create_api_key", "--site", "LMS.example.com", "--name", "Acme CRM",
                 "--expires-in-days", "30", "--created-by", "operator")

    secret = output.splitlines()[-1]
    api_key = ApiKey.objects.get()
    assert secret.startswith(api_key.prefix + ".")
    assert (api_key.site, api_key.name, api_key.created_by.username) == (site, "Acme CRM", "operator")
    assert api_key.expires_at - timezone.now() > datetime.timedelta(days=29)
    assert Caller(client, secret).post(learner).status_code == 200


@pytest.mark.usefixtures("site")
def test_create_refuses_an_unknown_site():
    with pytest.raises(CommandError, match="No site with the domain 'nowhere.example.com'"):
        run("tahoe_create_api_key", "--site", "nowhere.example.com", "--name", "x")
