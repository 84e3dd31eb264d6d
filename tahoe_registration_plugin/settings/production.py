"""Production settings (``settings_config`` → ``production``)."""
from tahoe_registration_plugin.settings import common


def plugin_settings(settings):
    """
    Apply the defaults again after the LMS has loaded its YAML configuration.

    Operators set ``TAHOE_REGISTRATION_*`` in that YAML (Tutor: a ``lms-env`` patch); values set
    there are kept, and any setting they left out gets its default.
    """
    common.plugin_settings(settings)
