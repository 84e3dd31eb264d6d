"""``tahoe_list_api_keys``: keys and their status, never their secrets."""


from tests.factories import ApiKeyFactory
from tests.management.commands import run


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
