"""``tahoe_site_admins``: grant, revoke and list site administrators."""
import io

from django.core.management import call_command
from django.utils import timezone

from tahoe_registration_plugin.models import SiteAdministrator
from tests.factories import UserFactory


def test_the_command_grants_revokes_and_lists(site):
    UserFactory(username="alice")
    out = io.StringIO()
    before = timezone.now()

    call_command("tahoe_site_admins", "grant", "--user", "alice", "--site", site.domain, stdout=out)
    call_command("tahoe_site_admins", "list", stdout=out)
    call_command("tahoe_site_admins", "revoke", "--user", "alice", "--site", site.domain, stdout=out)

    granted, listed, revoked = out.getvalue().splitlines()
    assert granted == f"alice now administers {site.domain}."
    # The grant's date (the day it was made, whichever side of midnight the test ran).
    assert listed in {f"{site.domain}\talice\t{day:%Y-%m-%d}" for day in (before, timezone.now())}
    assert revoked == f"alice no longer administers {site.domain}."
    assert not SiteAdministrator.objects.exists()
