"""Grant, revoke or list who administers which site's API keys and registration records."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tahoe_registration_plugin.management.commands._common import site_by_domain, user_by_username
from tahoe_registration_plugin.models import SiteAdministrator


class Command(BaseCommand):
    help = _(
        "Grant or revoke a user's administration of a site's Tahoe Registration API keys and records, or list "
        "the grants. The user also needs staff status and the app's permissions to use the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["grant", "revoke", "list"])
        parser.add_argument("--user", help=_("The username (grant, revoke; filters list)."))
        parser.add_argument("--site", help=_("The site's domain (grant, revoke; filters list)."))

    def handle(self, *args, **options):
        action = options["action"]
        if action == "list":
            self._list(options)
            return
        if not options["user"] or not options["site"]:
            raise CommandError(_("{action} needs --user and --site.").format(action=action))
        user, site = user_by_username(options["user"]), site_by_domain(options["site"])
        if action == "grant":
            _grant, created = SiteAdministrator.objects.get_or_create(user=user, site=site)
            message = _("{user} now administers {site}.") if created else _("{user} already administered {site}.")
            self.stdout.write(message.format(user=user.username, site=site.domain))
        else:
            deleted, _by_model = SiteAdministrator.objects.filter(user=user, site=site).delete()
            message = _("{user} no longer administers {site}.") if deleted else _("{user} did not administer {site}.")
            self.stdout.write(message.format(user=user.username, site=site.domain))

    def _list(self, options):
        grants = SiteAdministrator.objects.select_related("user", "site").order_by("site__domain", "user__username")
        if options["user"]:
            grants = grants.filter(user__username=options["user"])
        if options["site"]:
            grants = grants.filter(site__domain__iexact=options["site"])
        for grant in grants:
            self.stdout.write(f"{grant.site.domain}\t{grant.user.username}\t{grant.granted_at:%Y-%m-%d}")
