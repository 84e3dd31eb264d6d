"""Delete Idempotency-Key records older than 24 hours (run it daily, e.g. from cron)."""
from django.core.management.base import BaseCommand

from tahoe_registration_plugin.models import IdempotencyRecord


class Command(BaseCommand):
    help = "Delete the Idempotency-Key records that have expired (older than 24 hours)."

    def handle(self, *args, **options):
        count, _by_model = IdempotencyRecord.objects.expired().delete()
        self.stdout.write(f"Deleted {count} expired Idempotency-Key record(s).")
