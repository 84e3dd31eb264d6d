"""
The platform's tables, as far as the stand-ins need them: the user's preferences and attributes,
and where they signed up (common/djangoapps/student/models/user.py @ 0b870c13,
openedx/core/djangoapps/user_api/models.py @ e57a655d).
"""
from django.conf import settings
from django.db import models


class UserPreference(models.Model):
    """
    ``user_api.UserPreference``: one key and value per user.

    .. no_pii: Test-only model; never installed outside the test suite.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    key = models.CharField(max_length=255, db_index=True)
    value = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="tahoe_tests_one_preference")]

    def __str__(self):
        return f"{self.key} of {self.user_id}"


class UserAttribute(models.Model):
    """
    ``student.UserAttribute``: a named value about a user (``created_on_site``, say).

    .. no_pii: Test-only model; never installed outside the test suite.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    name = models.CharField(max_length=255, db_index=True)
    value = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="tahoe_tests_one_attribute")]

    def __str__(self):
        return f"{self.name} of {self.user_id}"

    @classmethod
    def set_user_attribute(cls, user, name, value):
        cls.objects.update_or_create(user=user, name=name, defaults={"value": value})


class UserSignupSource(models.Model):
    """
    ``student.UserSignupSource``: the site (its configured ``SITE_NAME``) a user signed up on.

    .. no_pii: Test-only model; never installed outside the test suite.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    site = models.CharField(max_length=255, db_index=True)

    def __str__(self):
        return f"{self.user_id} on {self.site}"
