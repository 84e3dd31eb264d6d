"""
The one way the plugin writes: in one transaction, tried again when it lost a lock, with what the
platform sends meanwhile held until it commits (``outbox``; docs/decisions/0012).
"""
import time

from django.db import OperationalError, transaction

from tahoe_registration_plugin.logs import get_logger
from tahoe_registration_plugin.outbox import Outbox

log = get_logger(__name__)

# A transaction that loses a lock (a MySQL deadlock, a busy SQLite file) is tried again this many times in all.
TRANSACTION_ATTEMPTS = 3


def in_one_transaction(write, what):
    """
    Run ``write()`` in one transaction and return its result; ``what`` names it in the log. A
    rolled-back attempt sends nothing; a retried one sends once. Inside a transaction of the
    caller's, it is not tried again (the caller's would be lost), and what it held goes out once
    the caller's commits.
    """
    attempt = 1
    while True:
        outbox = Outbox()
        try:
            with outbox.holding(), transaction.atomic():
                result = write()
            # At once where no transaction of the caller's is open, else once it commits.
            transaction.on_commit(outbox.release)
            return result
        except OperationalError:
            if attempt == TRANSACTION_ATTEMPTS or transaction.get_connection().in_atomic_block:
                raise
            log.warning("%s transaction lost a lock (attempt %s); trying again.", what, attempt)
            time.sleep(0.05 * attempt)
            attempt += 1
