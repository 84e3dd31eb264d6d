"""The WSGI application ``make loadtest`` serves with gunicorn."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.loadtest_settings")
application = get_wsgi_application()
