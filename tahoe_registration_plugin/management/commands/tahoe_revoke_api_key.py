"""Revoke an API key, found by its prefix (or by id when two keys share a prefix)."""
from django.core.management.base import BaseCommand, CommandError

from tahoe_registration_plugin.models import ApiKey


class Command(BaseCommand):
    help = "Revoke a Tahoe Registration API key, given its prefix (as the admin and tahoe_list_api_keys show it)."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("prefix", nargs="?", help="The key's prefix.")
        target.add_argument("--id", type=int, help="The key's id, from tahoe_list_api_keys.")

    def handle(self, *args, **options):
        if options["id"] is not None:
            matches = list(ApiKey.objects.filter(pk=options["id"]))
        else:
            matches = list(ApiKey.objects.filter(prefix=options["prefix"]))
        if not matches:
            raise CommandError("No API key matches.")
        if len(matches) > 1:
            ids = ", ".join(str(api_key.pk) for api_key in matches)
            raise CommandError(f"Several keys have this prefix (ids {ids}): revoke one with --id.")
        api_key = matches[0]
        if api_key.is_revoked:
            self.stdout.write(f"API key {api_key.prefix} (id {api_key.pk}) was already revoked.")
            return
        api_key.revoke()
        self.stdout.write(f"Revoked API key {api_key.prefix} (id {api_key.pk}) of {api_key.site.domain}.")
