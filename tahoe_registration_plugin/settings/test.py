"""Settings for the LMS's own test runs (``settings_config`` → ``test``)."""
from tahoe_registration_plugin.settings import common


def plugin_settings(settings):
    """The same defaults as everywhere; tests override what they exercise."""
    common.plugin_settings(settings)
