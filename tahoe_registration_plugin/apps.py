"""The Django app and its Open edX plugin declaration."""
from django.apps import AppConfig


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
                "namespace": "tahoe_registration",
                "regex": r"^tahoe/api/",
                "relative_path": "rest_api.urls",
            },
        },
        "settings_config": {
            "lms.djangoapp": {
                "common": {"relative_path": "settings.common"},
                "production": {"relative_path": "settings.production"},
                "test": {"relative_path": "settings.test"},
            },
        },
    }

    def ready(self):
        # Imported here: checks read the plugin's settings, which are complete only once apps are ready.
        from django.core import checks  # pylint: disable=import-outside-toplevel

        from tahoe_registration_plugin.checks import check_platform_backend  # pylint: disable=import-outside-toplevel

        checks.register(check_platform_backend)
