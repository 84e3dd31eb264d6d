"""What a site administrator's admin pages are limited to: the sites they administer."""
from django.contrib import admin
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from tahoe_registration_plugin.admin.presentation import AppModelAdmin
from tahoe_registration_plugin.models import administered_site_ids


class AdministeredSiteFilter(admin.RelatedFieldListFilter):
    """The site filter, offering only the sites the user administers."""

    def field_choices(self, field, request, model_admin):
        site_ids = administered_site_ids(request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        choices = field.get_choices(include_blank=False, ordering=ordering)
        return choices if site_ids is None else [(pk, label) for pk, label in choices if pk in site_ids]


class SiteScopedAdmin(AppModelAdmin):
    """Limits the objects, forms and filters to the sites the user administers; others are a 404."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        site_ids = administered_site_ids(request.user)
        return queryset if site_ids is None else queryset.filter(site_id__in=site_ids)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("No such object on the sites you administer."))
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "site":
            site_ids = administered_site_ids(request.user)
            if site_ids is not None:
                kwargs["queryset"] = db_field.related_model.objects.filter(pk__in=site_ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
