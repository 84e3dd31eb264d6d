"""Register a Tahoe-era DRF token as an API key for a site, so its holder keeps working unchanged."""
import sys

from django.core.management.base import BaseCommand, CommandError

from tahoe_registration_plugin.management.commands._common import site_by_domain, user_by_username
from tahoe_registration_plugin.models import ApiKey


class Command(BaseCommand):
    help = (
        "Import a legacy Tahoe token (40 hex characters) as an API key of a site. Only its hash is stored. "
        "Pass '-' to read the token from standard input and keep it out of the shell's history."
    )

    def add_arguments(self, parser):
        parser.add_argument("token", help="The legacy token, or '-' to read it from standard input.")
        parser.add_argument("--site", required=True, help="Domain of the site the token registers learners on.")
        parser.add_argument("--name", required=True, help="Who holds the token, e.g. 'Acme CRM'.")
        parser.add_argument("--description", default="Imported from Tahoe.")
        parser.add_argument("--created-by", help="Username recorded as the key's creator.")

    def handle(self, *args, **options):
        token = (sys.stdin.readline() if options["token"] == "-" else options["token"]).strip()
        site = site_by_domain(options["site"])
        if ApiKey.objects.get_by_secret(token) is not None:
            raise CommandError("This token is already registered.")
        try:
            api_key = ApiKey.objects.import_legacy_token(
                site=site, token=token, name=options["name"], description=options["description"],
                created_by=user_by_username(options["created_by"]),
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Imported legacy token {api_key.prefix}… as API key {api_key.pk} for {site.domain}.")
