"""``tahoe_site_admins``: grant, revoke and list site administrators."""
import io

from django.core.management import call_command

from tahoe_registration_plugin.models import SiteAdministrator
from tests.factories import UserFactory


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
