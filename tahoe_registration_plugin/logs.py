"""
The plugin's loggers, which never write a learner's email address: not in a message, not in a
traceback (an SMTP refusal or a MySQL duplicate-entry error names the address it is about).
"""
import logging
import re

# Anything shaped like an address, ASCII or not, in every form a caller may send one: a quoted
# local part (``"a,b"@example.com``), an unquoted one with any of RFC 5322's characters (an
# apostrophe inside, not one that opens a quotation: ``'o'brien@example.com'``), a domain or an
# address literal (``a@[127.0.0.1]``). Spaces, angle brackets and separators end it.
EMAIL_ADDRESS = re.compile(
    r"""(?:"(?:[^"\\\n]|\\.)*"|[^\s'"<>()\[\],;:@][^\s"<>()\[\],;:@]*)"""
    r"""@(?:\[[^\]\s]*\]|[^\s'"<>()\[\],;:@]+)"""
)
REDACTED = "[email]"


class RedactEmailAddresses(logging.Filter):
    """Replaces every email address in a record's message and traceback with ``[email]``."""

    def filter(self, record):
        record.msg, record.args = EMAIL_ADDRESS.sub(REDACTED, record.getMessage()), ()
        if record.exc_info:
            # Formatters print exc_text when it is set; the raw exception goes no further.
            record.exc_text = EMAIL_ADDRESS.sub(REDACTED, logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def get_logger(name):
    """``logging.getLogger(name)``, with email addresses redacted from what it writes."""
    logger = logging.getLogger(name)
    if not any(isinstance(existing, RedactEmailAddresses) for existing in logger.filters):
        logger.addFilter(RedactEmailAddresses())
    return logger
