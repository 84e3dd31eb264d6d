"""``manage.py check``: the platform backend can be loaded, with every platform name it uses."""
from django.core import checks

from tahoe_registration_plugin.backends import get_platform_backend_class
from tahoe_registration_plugin.conf import api_settings
from tahoe_registration_plugin.errors import PlatformUnavailable

HINT = (
    "Install a release of Open edX this plugin supports (see its README), or set "
    "TAHOE_REGISTRATION_PLATFORM_BACKEND to a backend that matches this platform."
)


def check_platform_backend(app_configs=None, **kwargs):  # pylint: disable=unused-argument
    """One error per module or name that the configured backend needs and cannot load."""
    dotted_path = api_settings.platform_backend
    try:
        backend_class = get_platform_backend_class(dotted_path)
    except PlatformUnavailable as error:
        return [checks.Error(f"The registration backend cannot be imported: {error}", hint=HINT,
                             id="tahoe_registration.E001")]
    return [
        checks.Error(f"The registration backend {dotted_path} cannot load {name}.", hint=HINT,
                     id="tahoe_registration.E002")
        for name in backend_class.missing_platform_names()
    ]
