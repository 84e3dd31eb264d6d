"""
Settings of the standalone project: a plain Django site on SQLite with the plugin installed as the
LMS installs it (through its ``lms.djangoapp`` entry point and ``add_plugins``), and the
standalone platform backend. Used by the test suite; ``dev_settings`` builds ``make run`` on it.
"""
import os
from pathlib import Path

import django
from edx_django_utils.plugins import add_plugins, get_plugin_apps

BASE_DIR = Path(__file__).resolve().parent
# Git-ignored: the SQLite test database, make run's database and its emails.
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

SECRET_KEY = "insecure-secret-key-for-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
TIME_ZONE = "UTC"
SITE_ID = 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_yasg",
    "edx_api_doc_tools",
    "waffle",
    # What the LMS gets of the plugin: exactly the apps its entry points declare.
    *get_plugin_apps("lms.djangoapp"),
    # The platform stand-in; never installed in an LMS.
    "tahoe_registration_plugin.standalone",
    # An example registration extension form, which tests turn on with REGISTRATION_EXTENSION_FORM.
    "tests.extension_form",
    # The platform tables the Open edX backend's stand-ins need (tests/openedx_stand_ins).
    "tests.openedx_stand_ins",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # As in the LMS: the request's language (Accept-Language) for the messages it reads.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tahoe_registration_plugin.standalone.middleware.CurrentSiteFromHostMiddleware",
    # As in the LMS: the platform's helpers find the current request (and its site) through crum.
    "crum.CurrentRequestUserMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "waffle.middleware.WaffleMiddleware",
    # As in the LMS: what edx-toggles and the platform keep for one request is forgotten after it.
    "edx_django_utils.cache.middleware.RequestCacheMiddleware",
]

ROOT_URLCONF = "test_urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database():
    """
    SQLite by default; MariaDB/MySQL with ``TEST_DB=mysql`` (``TEST_DB_NAME``, ``_USER``,
    ``_PASSWORD``, ``_HOST``, ``_PORT``), as ``.ci/services`` starts it.

    The SQLite test database is a file, so that a live server's threads and other processes
    share it as workers share the LMS's database.
    """
    if os.environ.get("TEST_DB") == "mysql":
        return {
            "ENGINE": "django.db.backends.mysql",
            "NAME": os.environ.get("TEST_DB_NAME", "tahoe_registration"),
            "USER": os.environ.get("TEST_DB_USER", "tahoe"),
            "PASSWORD": os.environ.get("TEST_DB_PASSWORD", "tahoe"),
            "HOST": os.environ.get("TEST_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("TEST_DB_PORT", "3307"),
            "OPTIONS": {"charset": "utf8mb4"},
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_general_ci"},
        }
    return {
        **sqlite_database(os.environ.get("TEST_SQLITE_PATH", str(VAR_DIR / "tahoe_registration.sqlite3"))),
        "TEST": {"NAME": os.environ.get("TEST_SQLITE_TEST_PATH", str(VAR_DIR / "test.sqlite3"))},
    }


def sqlite_database(path):
    """
    A SQLite file that concurrent requests wait for, as they would for a server database: up to 30 s
    for the lock, taken when a transaction starts (Django 5.1+), instead of "database is locked".
    """
    options = {"timeout": 30}
    if django.VERSION >= (5, 1):
        options["transaction_mode"] = "IMMEDIATE"
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": options}


DATABASES = {"default": _database()}


def cache_on(location, key_prefix=""):
    """
    LocMem without a location; else a memcached server (``host:port``) or a Redis server through
    django-redis, as Tutor sets up the LMS's cache (``redis://host:port/db``).
    """
    if not location:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    backend = (
        "django_redis.cache.RedisCache" if location.startswith("redis://")
        else "django.core.cache.backends.memcached.PyMemcacheCache"
    )
    return {"BACKEND": backend, "LOCATION": location, "KEY_PREFIX": key_prefix}


# TEST_CACHE_LOCATION: the multi-worker tests' server processes, and make test-services.
CACHES = {"default": cache_on(os.environ.get("TEST_CACHE_LOCATION"), os.environ.get("TEST_CACHE_KEY_PREFIX", ""))}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "registration@example.com"
STATIC_URL = "/static/"

# The API docs (/api-docs/), as the LMS serves them; the key goes in the Authorization header.
# As an LMS's: nothing about this API (which serves its own docs); generate_swagger needs an info.
SWAGGER_SETTINGS = {"DEFAULT_INFO": "tahoe_registration_plugin.rest_api.docs.API_INFO", "DEEP_LINKING": True}

# No New Relic here: monitoring attributes go nowhere (tests read them by patching).
OPENEDX_TELEMETRY = []

# Like the LMS's policy: a minimum length, and not like the username or email.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Fast hashing keeps the suite quick; make run and the LMS use the real hashers.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# What the LMS defines and the platform reads without a default (the Open edX backend's stand-ins
# read them as the platform does; the standalone backend reads none of them).
FEATURES = {}
AUTOMATIC_AUTH_FOR_TESTING = False

# As the LMS builds its settings: its test settings start from its common ones.
add_plugins(__name__, "lms.djangoapp", "common")
TAHOE_REGISTRATION_PLATFORM_BACKEND = "tahoe_registration_plugin.backends.standalone.StandaloneBackend"
# Server processes started by the multi-worker tests get their rate from the environment.
if "TEST_REGISTRATION_RATE" in os.environ:
    TAHOE_REGISTRATION_RATE = os.environ["TEST_REGISTRATION_RATE"]
