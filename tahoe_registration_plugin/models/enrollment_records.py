"""The enrollments audit trail: one record per (learner, course) of each enrollments call."""
import uuid

from django.conf import settings
from django.contrib.sites.models import Site
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tahoe_registration_plugin.models.api_keys import ApiKey


class EnrollmentRecordQuerySet(models.QuerySet):

    def record(self, *, site, api_key, call_id, action, results):
        """Record each of ``results`` (``data.EnrollmentResult``) of one call, in one query."""
        now = timezone.now()
        return self.bulk_create([
            self.model(
                site=site, api_key=api_key, call_id=call_id, user_id=result.user_id, learner=result.learner,
                action=action, course_id=str(result.course_key), status=result.status, mode=result.mode or "",
                created=now,
            )
            for result in results
        ])

    def of_call(self, call_id):
        """The records of one call, in the order its answer listed them."""
        return self.filter(call_id=call_id).order_by("pk")


class EnrollmentRecord(models.Model):
    """
    What one enrollments call did for one learner in one course: who asked (the key), for whom,
    what, the outcome, when. Outcomes that changed nothing (``already_enrolled``, ``not_enrolled``,
    ``unknown_learner``) are kept too: the trail says what was asked, and a retry with the same
    ``Idempotency-Key`` is answered from it.

    .. pii: The learner as the caller named them (an email or a username). Blanked when the LMS
       retires the user (``signals.retire_user``); deleted with the site.
    .. pii_types: email_address, username
    .. pii_retirement: local_api
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    api_key = models.ForeignKey(ApiKey, null=True, on_delete=models.SET_NULL, related_name="enrollment_records",
                                verbose_name=_("API key"))
    call_id = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    learner = models.CharField(max_length=255, help_text=_("The learner as the caller named them."))
    action = models.CharField(max_length=16)
    course_id = models.CharField(max_length=255, help_text=_("The course, as the platform stores its id."))
    status = models.CharField(max_length=32)
    mode = models.CharField(max_length=100, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    objects = EnrollmentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrollment record")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.action} {self.course_id}: {self.status} ({self.created:%Y-%m-%d})"
