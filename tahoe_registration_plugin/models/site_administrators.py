"""Who administers which site's keys and records."""
from django.conf import settings
from django.contrib.sites.models import Site
from django.db import models
from django.utils import timezone


class SiteAdministrator(models.Model):
    """
    A user who administers a site's API keys and registration records (granted by a superuser).

    .. no_pii: Ties a user to a site.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="tahoe_registration_administered_sites")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    granted_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "site"], name="tahoe_registration_one_grant")]

    def __str__(self):
        return f"{self.user} administers {self.site.domain}"


def administered_site_ids(user):
    """The ids of the sites ``user`` administers, or None for a superuser (every site)."""
    if user.is_superuser:
        return None
    return set(SiteAdministrator.objects.filter(user=user).values_list("site_id", flat=True))
