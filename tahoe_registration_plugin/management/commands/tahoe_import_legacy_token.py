"""Register a Tahoe-era DRF token as an API key for a site, so its holder keeps working unchanged."""
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tahoe_registration_plugin.management.commands._common import site_by_domain, user_by_username
from tahoe_registration_plugin.models import ApiKey


class Command(BaseCommand):
    help = _(
        "Import a legacy Tahoe token (40 lowercase hexadecimal characters) as an API key of a site. Only its "
        "hash is stored. Pass '-' to read the token from standard input and keep it out of the shell's history."
    )

    def add_arguments(self, parser):
        parser.add_argument("token", help=_("The legacy token, or '-' to read it from standard input."))
        parser.add_argument("--site", required=True, help=_("Domain of the site the token registers learners on."))
        parser.add_argument("--name", required=True, help=_("Who holds the token, e.g. 'Acme CRM'."))
        parser.add_argument("--description", default="Imported from Tahoe.")
        parser.add_argument("--created-by", help=_("Username recorded as the key's creator."))

    def handle(self, *args, **options):
        token = (sys.stdin.readline() if options["token"] == "-" else options["token"]).strip()
        site = site_by_domain(options["site"])
        if ApiKey.objects.get_by_secret(token) is not None:
            raise CommandError(_("This token is already registered."))
        try:
            api_key = ApiKey.objects.import_legacy_token(
                site=site, token=token, name=options["name"], description=options["description"],
                created_by=user_by_username(options["created_by"]),
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(_("Imported legacy token {prefix}… as API key {id} for {domain}.").format(
            prefix=api_key.prefix, id=api_key.pk, domain=site.domain,
        ))
