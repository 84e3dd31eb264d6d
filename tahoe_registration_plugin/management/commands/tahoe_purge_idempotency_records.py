"""Delete the Idempotency-Key records older than their replay window (run it daily, e.g. from cron)."""
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tahoe_registration_plugin.data import IdempotencyKey
from tahoe_registration_plugin.models import IdempotencyRecord


class Command(BaseCommand):
    help = _("Delete the Idempotency-Key records that have expired (older than {hours:g} hours).").format(
        hours=IdempotencyKey.REPLAY_WINDOW.total_seconds() / 3600,
    )

    def handle(self, *args, **options):
        count, _by_model = IdempotencyRecord.objects.expired().delete()
        self.stdout.write(_("Deleted {count} expired Idempotency-Key record(s).").format(count=count))
