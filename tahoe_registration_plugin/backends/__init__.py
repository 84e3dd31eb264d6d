"""
The platform seam.

Everything that differs between an Open edX LMS and a plain Django project sits behind one
backend class, named by the ``TAHOE_REGISTRATION_PLATFORM_BACKEND`` setting and imported when
first used. No other module of the plugin imports edx-platform.
"""
from django.utils.module_loading import import_string

from tahoe_registration_plugin.conf import settings


def get_platform_backend():
    """The configured backend, instantiated."""
    return import_string(settings.platform_backend)()
