"""Revoke an API key, found by its prefix (or by id when two keys share a prefix)."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tahoe_registration_plugin.models import ApiKey


class Command(BaseCommand):
    help = _("Revoke a Tahoe Registration API key, given its prefix (as the admin and tahoe_list_api_keys show it).")

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("prefix", nargs="?", help=_("The key's prefix."))
        target.add_argument("--id", type=int, help=_("The key's id, from tahoe_list_api_keys."))

    def handle(self, *args, **options):
        if options["id"] is not None:
            matches = list(ApiKey.objects.filter(pk=options["id"]))
        else:
            matches = list(ApiKey.objects.filter(prefix=options["prefix"]))
        if not matches:
            raise CommandError(_("No API key matches."))
        if len(matches) > 1:
            ids = ", ".join(str(api_key.pk) for api_key in matches)
            raise CommandError(_("Several keys have this prefix (ids {ids}): revoke one with --id.").format(ids=ids))
        api_key = matches[0]
        if api_key.is_revoked:
            self.stdout.write(_("API key {prefix} (id {id}) was already revoked.").format(
                prefix=api_key.prefix, id=api_key.pk,
            ))
            return
        api_key.revoke()
        self.stdout.write(_("Revoked API key {prefix} (id {id}) of {domain}.").format(
            prefix=api_key.prefix, id=api_key.pk, domain=api_key.site.domain,
        ))
