"""
Receivers of the platform's signals, connected by the plugin's ``signals_config`` in an LMS.

When the LMS retires a user (``USER_RETIRE_LMS_MISC``, sent by its retirement pipeline's
``LMSAccountRetirementView``), the plugin forgets what it holds of them: the digests of their
username and email in the registration record (kept so two concurrent registrations of one
person make one account), their Idempotency-Key records, and how enrollments calls named them.
The registration record itself stays, for the site's counts, tied to the retired user row.
"""
from django.db.models import Q

from tahoe_registration_plugin.models import EnrollmentRecord, IdempotencyRecord, RegistrationRecord


def retire_user(sender, user=None, email=None, **kwargs):  # pylint: disable=unused-argument
    """
    Blank the retired user's identity digests, delete their Idempotency-Key records, and blank how
    enrollments calls named them (their records, and those naming their original ``email``).
    """
    if user is None:
        return
    RegistrationRecord.objects.filter(user=user).update(username_digest=None, email_digest=None)
    IdempotencyRecord.objects.filter(user=user).delete()
    named = Q(user=user) | Q(learner__iexact=user.username) | Q(learner__iexact=user.email)
    if email:
        named |= Q(learner__iexact=email)
    EnrollmentRecord.objects.filter(named).update(learner="")
