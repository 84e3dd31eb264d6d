"""
The platform seam.

Everything that differs between an Open edX LMS and a plain Django project sits behind one
backend class, named by the ``TAHOE_REGISTRATION_PLATFORM_BACKEND`` setting, imported when first
used and then kept for the life of the process. No other module of the plugin imports edx-platform.
"""
from functools import lru_cache

from django.utils.module_loading import import_string

from tahoe_registration_plugin.conf import api_settings
from tahoe_registration_plugin.errors import PlatformUnavailable


def get_platform_backend():
    """The configured backend; raises ``PlatformUnavailable`` when it cannot be loaded."""
    return load_backend(api_settings.platform_backend)


def get_platform_backend_class(dotted_path):
    """The backend class ``dotted_path`` names; raises ``PlatformUnavailable`` when it cannot be imported."""
    try:
        return import_string(dotted_path)
    except ImportError as error:
        raise PlatformUnavailable(f"{dotted_path}: {error}") from error


@lru_cache(maxsize=None)
def load_backend(dotted_path):
    """The backend ``dotted_path`` names, checked and instantiated once per process."""
    backend_class = get_platform_backend_class(dotted_path)
    missing = backend_class.missing_platform_names()
    if missing:
        raise PlatformUnavailable(f"{dotted_path} cannot load: {', '.join(missing)}")
    return backend_class()
