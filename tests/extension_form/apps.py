"""The test-only app holding an example registration extension form."""
from django.apps import AppConfig


class ExtensionFormConfig(AppConfig):
    name = "tests.extension_form"
    label = "tahoe_registration_tests_extension"
    default_auto_field = "django.db.models.BigAutoField"
