"""
Receivers of the platform's signals, connected by the plugin's ``signals_config`` in an LMS.

When the LMS retires a user (``USER_RETIRE_LMS_MISC``, sent by its retirement pipeline's
``LMSAccountRetirementView``), the plugin forgets what it holds of them: the digests of their
username and email in the registration record (kept so two concurrent registrations of one
person make one account), and their Idempotency-Key records. The record itself stays, for the
site's counts, tied to the retired user row.
"""
from tahoe_registration_plugin.models import IdempotencyRecord, RegistrationRecord


def retire_user(sender, user=None, **kwargs):  # pylint: disable=unused-argument
    """Blank the retired user's identity digests and delete their Idempotency-Key records."""
    if user is None:
        return
    RegistrationRecord.objects.filter(user=user).update(username_digest=None, email_digest=None)
    IdempotencyRecord.objects.filter(user=user).delete()
