"""What the example extension form saves with the account."""
from django.conf import settings
from django.db import models


class LearnerExtraInfo(models.Model):
    """
    A learner's employer, as a site's registration asks for it.

    .. no_pii: Test-only model; never installed outside the test suite.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    company = models.CharField(max_length=100)
    employee_id = models.CharField(max_length=20, blank=True)

    def __str__(self):
        return f"{self.company} ({self.user_id})"
