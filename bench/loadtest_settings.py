"""The standalone project as ``make loadtest`` serves it: bench settings on a database of its own."""
import os

from bench.settings import *  # pylint: disable=wildcard-import,unused-wildcard-import

ROOT_URLCONF = "bench.urls"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES = {"default": sqlite_database(os.environ.get("LOADTEST_SQLITE_PATH", VAR_DIR / "loadtest.sqlite3"))}
else:
    DATABASES["default"]["NAME"] = "tahoe_registration_loadtest"
