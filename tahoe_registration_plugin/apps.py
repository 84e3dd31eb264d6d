"""The Django app and its Open edX plugin declaration."""
from django.apps import AppConfig

from tahoe_registration_plugin.rest_api import API_ROOT

# The namespace of the plugin's URLs in the LMS (``tahoe_registration:v2:registrations``).
URL_NAMESPACE = "tahoe_registration"


class TahoeRegistrationConfig(AppConfig):
    """
    Tahoe Registration API.

    ``plugin_app`` uses plain string keys, so this module imports without edx-platform.
    """

    name = "tahoe_registration_plugin"
    verbose_name = "Tahoe Registration API"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "url_config": {
            "lms.djangoapp": {
                "namespace": URL_NAMESPACE,
                "regex": f"^{API_ROOT}",
                "relative_path": "rest_api.urls",
            },
        },
        "signals_config": {
            "lms.djangoapp": {
                "relative_path": "signals",
                "receivers": [{
                    "receiver_func_name": "retire_user",
                    "signal_path": "openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_MISC",
                }],
            },
        },
        "settings_config": {
            "lms.djangoapp": {
                # The LMS's test settings import its common ones: no hook of their own.
                "common": {"relative_path": "conf"},
                "production": {"relative_path": "conf"},
            },
        },
    }

    def ready(self):
        # Imported here: they read the plugin's settings, which are complete only once apps are ready.
        # pylint: disable=import-outside-toplevel
        from django.core import checks
        from django.core.signals import got_request_exception

        from tahoe_registration_plugin.checks import check_platform_backend
        from tahoe_registration_plugin.rest_api.middleware import remember_exception

        checks.register(check_platform_backend)
        got_request_exception.connect(remember_exception, dispatch_uid="tahoe_registration_remember_exception")
