"""Delete the Idempotency-Key records older than their replay window (run it daily, e.g. from cron)."""
from django.core.management.base import BaseCommand

from tahoe_registration_plugin.data import IdempotencyKey
from tahoe_registration_plugin.models import IdempotencyRecord


class Command(BaseCommand):
    help = (
        "Delete the Idempotency-Key records that have expired "
        f"(older than {IdempotencyKey.REPLAY_WINDOW.total_seconds() / 3600:g} hours)."
    )

    def handle(self, *args, **options):
        count, _by_model = IdempotencyRecord.objects.expired().delete()
        self.stdout.write(f"Deleted {count} expired Idempotency-Key record(s).")
