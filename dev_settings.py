"""
Settings of ``make run`` and ``manage.py``: the standalone project with a SQLite file and emails
written as files a person can open, both under the git-ignored ``var/``.
"""
import os

from django.conf import global_settings
from django.core.servers import basehttp

from test_settings import *  # pylint: disable=wildcard-import,unused-wildcard-import

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", *filter(None, os.environ.get("ALLOWED_HOSTS", "").split(","))]
# Django's runserver keeps 10 connections waiting to be accepted; an integration's burst (a CRM
# importing 300 learners at once) would be reset at the door instead of queueing.
basehttp.WSGIServer.request_queue_size = 1024
# The same waiting SQLite as the tests', so that a burst of requests queues instead of failing.
DATABASES = {"default": sqlite_database(os.environ.get("DEV_SQLITE_PATH", VAR_DIR / "db.sqlite3"))}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "emails"
PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"tahoe_registration_plugin": {"handlers": ["console"], "level": "INFO"}},
}
