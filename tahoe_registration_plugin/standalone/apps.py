"""The standalone platform stand-in app."""
from django.apps import AppConfig


class StandalonePlatformConfig(AppConfig):
    name = "tahoe_registration_plugin.standalone"
    label = "tahoe_registration_standalone"
    verbose_name = "Tahoe Registration: standalone platform"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tahoe_registration_plugin.standalone import (  # pylint: disable=import-outside-toplevel,unused-import
            receivers,
        )
