"""The enrollments audit trail in the admin: read-only, searchable, exportable, never deleted."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tahoe_registration_plugin.admin.presentation import api_key, text_column, timestamp_column
from tahoe_registration_plugin.admin.site_scope import AdministeredSiteFilter, SiteScopedAdmin
from tahoe_registration_plugin.exports import enrollment_records_csv_response
from tahoe_registration_plugin.models import EnrollmentRecord


@admin.register(EnrollmentRecord)
class EnrollmentRecordAdmin(SiteScopedAdmin):
    """Who (which key) asked what for whom, in which course, with what outcome, when."""

    list_display = (
        timestamp_column("created", _("Created")), text_column("site", "site.domain", _("Site")), api_key,
        "action", text_column("learner", "learner", _("Learner")), text_column("course_id", "course_id", _("Course")),
        text_column("status", "status", _("Status"), short=True), "mode",
    )
    list_filter = (("site", AdministeredSiteFilter), "action", "status", ("created", admin.DateFieldListFilter))
    list_select_related = ("site", "api_key__site")
    search_fields = ("learner", "course_id", "api_key__prefix", "api_key__name")
    date_hierarchy = "created"
    actions = ["export_csv"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Export the selected records as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return enrollment_records_csv_response(queryset)
