"""List API keys (never their secrets)."""
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tahoe_registration_plugin.management.commands._common import site_by_domain
from tahoe_registration_plugin.models import ApiKey

COLUMNS = "{id:>5}  {prefix:<8}  {status:<8}  {site:<30}  {created:<20}  {last_used:<20}  {name:<24}  {scopes}"


def _when(value):
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "-"


class Command(BaseCommand):
    help = _("List Tahoe Registration API keys: id, prefix, status, site, created, last used, name, scopes.")

    def add_arguments(self, parser):
        parser.add_argument("--site", help=_("Only the keys of the site with this domain."))

    def handle(self, *args, **options):
        api_keys = ApiKey.objects.select_related("site").order_by("site__domain", "created")
        if options["site"]:
            api_keys = api_keys.filter(site=site_by_domain(options["site"]))
        self.stdout.write(COLUMNS.format(
            id="id", prefix="prefix", status="status", site="site",
            created="created", last_used="last used", name="name", scopes="scopes",
        ))
        for api_key in api_keys:
            status = "revoked" if api_key.is_revoked else "expired" if api_key.is_expired else "active"
            self.stdout.write(COLUMNS.format(
                id=api_key.pk, prefix=api_key.prefix, status=status, site=api_key.site.domain,
                created=_when(api_key.created), last_used=_when(api_key.last_used_at), name=api_key.name,
                scopes=api_key.scopes,
            ))
