"""Defaults applied to every LMS settings module (``settings_config`` → ``common``)."""
from tahoe_registration_plugin.conf import DEFAULTS


def plugin_settings(settings):
    """Give each of the plugin's settings its default, leaving values already set alone."""
    for name, default in DEFAULTS.items():
        if not hasattr(settings, name):
            setattr(settings, name, default)
