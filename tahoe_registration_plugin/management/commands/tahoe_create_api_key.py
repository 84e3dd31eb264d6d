"""Create an API key for a site; print its secret once, alone on the last line."""
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from tahoe_registration_plugin import scopes
from tahoe_registration_plugin.management.commands._common import site_by_domain, user_by_username
from tahoe_registration_plugin.models import ApiKey


class Command(BaseCommand):
    help = _("Create a Tahoe Registration API key for a site. The secret is printed once, on the last line.")

    def add_arguments(self, parser):
        parser.add_argument("--site", required=True, help=_("Domain of the site the key registers learners on."))
        parser.add_argument("--name", required=True, help=_("Who holds the key, e.g. 'Acme CRM'."))
        parser.add_argument("--description", default="")
        parser.add_argument("--expires-in-days", type=int, help=_("Make the key expire after this many days."))
        parser.add_argument("--created-by", help=_("Username recorded as the key's creator."))
        parser.add_argument("--scopes", default=",".join(scopes.DEFAULT), help=_(
            "What the key may do, comma-separated among {names} (default: {default})."
        ).format(names=", ".join(scopes.NAMES), default=",".join(scopes.DEFAULT)))

    def handle(self, *args, **options):
        try:
            chosen = scopes.parse(options["scopes"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        if not chosen:
            raise CommandError(_("Choose at least one scope."))
        expires_at = None
        if options["expires_in_days"] is not None:
            expires_at = timezone.now() + datetime.timedelta(days=options["expires_in_days"])
        api_key, secret = ApiKey.objects.create_key(
            site=site_by_domain(options["site"]),
            name=options["name"],
            description=options["description"],
            created_by=user_by_username(options["created_by"]),
            expires_at=expires_at,
            scopes=chosen,
        )
        self.stdout.write(_("Created API key {prefix} ({name}) for {domain}.").format(
            prefix=api_key.prefix, name=api_key.name, domain=api_key.site.domain,
        ))
        self.stdout.write(_("The secret below is shown only now; only its hash is stored."))
        self.stdout.write(secret)
