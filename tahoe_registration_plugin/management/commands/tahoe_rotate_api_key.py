"""Rotate an API key: a replacement (printed once) now, the old key expiring after a grace period."""
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tahoe_registration_plugin.conf import api_settings
from tahoe_registration_plugin.models import ApiKey


class Command(BaseCommand):
    help = _("Create the replacement of a Tahoe Registration API key (its secret on the last line, shown once) "
             "and let the old key expire after a grace period (TAHOE_REGISTRATION_ROTATION_GRACE_DAYS).")

    def add_arguments(self, parser):
        parser.add_argument("prefix", help=_("The key's prefix, as the admin and tahoe_list_api_keys show it."))
        parser.add_argument("--grace-days", type=float, help=_("Days the old key keeps working."))

    def handle(self, *args, **options):
        matches = list(ApiKey.objects.select_related("site").filter(prefix=options["prefix"], revoked_at=None))
        if len(matches) != 1:
            raise CommandError(_("No unrevoked API key has this prefix.") if not matches else
                               _("Several keys have this prefix: rotate one in the admin."))
        api_key = matches[0]
        grace = (datetime.timedelta(days=options["grace_days"]) if options["grace_days"] is not None
                 else api_settings.rotation_grace_days)
        replacement, secret = api_key.rotate(grace=grace)
        self.stdout.write(_("Key {prefix} of {domain} expires on {expiry}.").format(
            prefix=api_key.prefix, domain=api_key.site.domain, expiry=api_key.expires_at.isoformat(),
        ))
        self.stdout.write(_("Its replacement {prefix} (id {id}); its secret, shown once:").format(
            prefix=replacement.prefix, id=replacement.pk,
        ))
        self.stdout.write(secret)
