"""The platform's tables that the stand-ins need and the standalone app does not hold (test-only)."""
from django.apps import AppConfig


class PlatformTablesConfig(AppConfig):
    name = "tests.openedx_stand_ins"
    label = "tahoe_registration_tests_platform"
    default_auto_field = "django.db.models.BigAutoField"
