"""Write the registration records as CSV to standard output, streamed however many there are."""
from django.core.management.base import BaseCommand
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from tahoe_registration_plugin.exports import write_registration_records_csv
from tahoe_registration_plugin.management.commands._common import site_by_domain
from tahoe_registration_plugin.models import RegistrationRecord


class Command(BaseCommand):
    help = _("Export Tahoe Registration API registration records as CSV (one site, and from a date, if given).")

    def add_arguments(self, parser):
        parser.add_argument("--site", help=_("Only this site's records (its domain)."))
        parser.add_argument("--since", type=parse_date,
                            help=_("Only records created on or after this date (YYYY-MM-DD)."))

    def handle(self, *args, **options):
        records = RegistrationRecord.objects.all()
        if options["site"]:
            records = records.filter(site=site_by_domain(options["site"]))
        if options["since"]:
            records = records.filter(created__date__gte=options["since"])
        write_registration_records_csv(records, self.stdout)
