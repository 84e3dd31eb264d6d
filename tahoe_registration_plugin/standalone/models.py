"""The platform's account records, reduced to what the registration API touches."""
import uuid

from django.conf import settings
from django.db import models


class Profile(models.Model):
    """
    A learner's full name, as the LMS's ``UserProfile.name``.

    .. pii: The learner's full name.
    .. pii_types: name
    .. pii_retirement: local_api
    """

    # ``user.profile``, as in the LMS, so code and tests read the name the same way in both.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    name = models.CharField(max_length=255, db_index=True)

    def __str__(self):
        return self.name


def _new_activation_key():
    return uuid.uuid4().hex


class Registration(models.Model):
    """
    The activation key mailed to a learner, as the LMS's ``student.Registration``.

    .. no_pii: A random key tied to a user.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registration")
    activation_key = models.CharField(max_length=32, unique=True, default=_new_activation_key)

    def __str__(self):
        return f"Registration of user {self.user_id}"

    def register(self, user):
        """Attach this new activation record to ``user`` and save it, as the LMS's ``register`` does."""
        self.user = user
        self.save()

    def activate(self):
        """Mark the account active, as following the activation link does."""
        if not self.user.is_active:
            self.user.is_active = True
            self.user.save(update_fields=["is_active"])
