"""``tahoe_rotate_api_key``: the replacement printed once, the old key expiring after the grace."""
import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from tahoe_registration_plugin.models import ApiKey
from tests.conftest import Caller


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
