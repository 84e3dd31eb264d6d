"""The standalone project as ``make bench`` measures it: real password hashing, no email delivery."""
from django.conf import global_settings

from test_settings import *  # pylint: disable=wildcard-import,unused-wildcard-import

DEBUG = False
# As in production: the configured hasher (PBKDF2), not the fast one of the tests.
PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
# Emails are rendered and handed to a backend that drops them.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
TAHOE_REGISTRATION_RATE = "1000000/minute"
DATABASES["default"]["TEST"] = {**DATABASES["default"].get("TEST", {}), "NAME": (
    str(VAR_DIR / "bench.sqlite3") if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "tahoe_registration_bench"
)}
LOGGING = {"version": 1, "disable_existing_loggers": True}
