"""
The platform's account signals, for the standalone project.

``USER_ACCOUNT_ACTIVATED`` stands for ``common.djangoapps.student.signals.USER_ACCOUNT_ACTIVATED``,
which the LMS's ``Registration.activate()`` sends with ``send_robust`` once the user is saved
active (openedx/openedx-platform ``common/djangoapps/student/models/user.py``, commit d87ee18c).
"""
from django.dispatch import Signal

# Sent with ``user``, by the class of the activated ``Registration``.
USER_ACCOUNT_ACTIVATED = Signal()
