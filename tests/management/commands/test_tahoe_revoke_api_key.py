"""``tahoe_revoke_api_key``: a key found by its prefix (or id) stops working."""

import pytest
from django.core.management import CommandError

from tahoe_registration_plugin.models import ApiKey
from tests.conftest import Caller
from tests.factories import ApiKeyFactory
from tests.management.commands import run


def test_revoke_by_prefix_stops_the_key(client, api_key, learner):
    output = run("tahoe_revoke_api_key", api_key.prefix)

    assert f"Revoked API key {api_key.prefix}" in output
    assert Caller(client, api_key.secret).post(learner).status_code == 401


def test_revoke_asks_for_an_id_when_a_prefix_is_shared(site):
    first, second = ApiKeyFactory(site=site), ApiKeyFactory(site=site)
    ApiKey.objects.filter(pk=second.pk).update(prefix=first.prefix)

    with pytest.raises(CommandError, match="Several keys have this prefix"):
        run("tahoe_revoke_api_key", first.prefix)
    run("tahoe_revoke_api_key", "--id", str(second.pk))
    assert ApiKey.objects.get(pk=second.pk).is_revoked
    assert not ApiKey.objects.get(pk=first.pk).is_revoked
