"""
Settings of ``make run`` and ``manage.py``: the standalone project with a SQLite file and emails
written as files a person can open, both under the git-ignored ``var/``.
"""
import os

from django.conf import global_settings

from test_settings import *  # pylint: disable=wildcard-import,unused-wildcard-import

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", *filter(None, os.environ.get("ALLOWED_HOSTS", "").split(","))]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "db.sqlite3"}}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "emails"
PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"tahoe_registration_plugin": {"handlers": ["console"], "level": "INFO"}},
}
