"""The management commands an operator uses to create, list, revoke and import keys."""
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tahoe_registration_plugin.models import ApiKey
from tests.conftest import Caller
from tests.factories import ApiKeyFactory, UserFactory

LEGACY_TOKEN = "0123456789abcdef0123456789abcdef01234567"


def run(*args, stdin=None):
    out = io.StringIO()
    if stdin is not None:
        import sys  # pylint: disable=import-outside-toplevel
        sys_stdin, sys.stdin = sys.stdin, io.StringIO(stdin)
        try:
            call_command(*args, stdout=out)
        finally:
            sys.stdin = sys_stdin
    else:
        call_command(*args, stdout=out)
    return out.getvalue()


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


def test_list_shows_keys_and_their_status_never_their_secrets(site):
    active = ApiKeyFactory(site=site, name="Active one")
    revoked = ApiKeyFactory(site=site, name="Revoked one")
    revoked.revoke()

    output = run("tahoe_list_api_keys", "--site", site.domain)

    lines = output.splitlines()
    assert lines[0].split()[:4] == ["id", "prefix", "status", "site"]
    assert any(active.prefix in line and "active" in line and "Active one" in line for line in lines)
    assert any(revoked.prefix in line and "revoked" in line for line in lines)
    assert active.secret not in output and revoked.secret not in output


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


def test_rotate_prints_the_replacement_once_and_the_old_key_expires_after_the_grace(client, api_key, learner):
    out = io.StringIO()

    call_command("tahoe_rotate_api_key", api_key.prefix, "--grace-days", "2", stdout=out)

    secret = out.getvalue().splitlines()[-1]
    replacement = ApiKey.objects.exclude(pk=api_key.pk).get()
    api_key.refresh_from_db()
    assert secret.startswith(replacement.prefix) and replacement.site == api_key.site
    assert timezone.now() + datetime.timedelta(days=1.9) < api_key.expires_at < timezone.now() + datetime.timedelta(
        days=2
    )
    assert Caller(client, secret).post(learner).status_code == 200
    assert api_key.secret not in out.getvalue()
