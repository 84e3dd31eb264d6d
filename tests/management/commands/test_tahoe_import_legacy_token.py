"""``tahoe_import_legacy_token``: a Tahoe-era token keeps working, and only its hash is stored."""

import pytest
from django.core.management import CommandError

from tahoe_registration_plugin.models import ApiKey
from tests.conftest import Caller
from tests.management.commands import run

LEGACY_TOKEN = "0123456789abcdef0123456789abcdef01234567"


def test_a_legacy_token_keeps_working_and_only_its_hash_is_stored(client, site, learner):
    output = run("tahoe_import_legacy_token", LEGACY_TOKEN, "--site", site.domain, "--name", "Old CRM")

    assert "Imported legacy token 01234567" in output
    api_key = ApiKey.objects.get()
    assert api_key.is_legacy
    assert LEGACY_TOKEN not in repr(ApiKey.objects.filter(pk=api_key.pk).values().get())
    response = Caller(client, LEGACY_TOKEN).post(learner)
    assert response.status_code == 200
    assert response.json()["user_id "] == response.json()["user_id"]


def test_a_legacy_token_can_come_from_stdin(site):
    run("tahoe_import_legacy_token", "-", "--site", site.domain, "--name", "Old CRM", stdin=LEGACY_TOKEN + "\n")

    assert ApiKey.objects.get_by_secret(LEGACY_TOKEN) is not None


@pytest.mark.parametrize("token", ["not-hex", LEGACY_TOKEN.upper(), LEGACY_TOKEN[:-1]])
def test_import_refuses_what_is_not_a_legacy_token(site, token):
    with pytest.raises(CommandError, match="40 lowercase hexadecimal"):
        run("tahoe_import_legacy_token", token, "--site", site.domain, "--name", "x")
    assert not ApiKey.objects.exists()


def test_import_refuses_a_token_twice(site):
    run("tahoe_import_legacy_token", LEGACY_TOKEN, "--site", site.domain, "--name", "x")

    with pytest.raises(CommandError, match="already registered"):
        run("tahoe_import_legacy_token", LEGACY_TOKEN, "--site", site.domain, "--name", "x")
