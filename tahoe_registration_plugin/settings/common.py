"""Defaults applied to every LMS settings module (``settings_config`` → ``common``)."""
from tahoe_registration_plugin.conf import DEFAULTS

# Seconds a mail server may take to answer before a send fails. Django's default (None) waits
# forever, so a server that accepts the connection and never replies would hold every API answer
# that sends an email in the request (the LMS's reset email does); see docs/decisions/0003.
EMAIL_TIMEOUT_WHEN_UNSET = 5
# First, so that it sees every answer under /tahoe/api/, even one another middleware made.
JSON_ERRORS_MIDDLEWARE = "tahoe_registration_plugin.rest_api.middleware.JsonErrorsUnderApiMiddleware"


def plugin_settings(settings):
    """Give each of the plugin's settings its default and the mail server a time limit, keeping values already set."""
    for name, default in DEFAULTS.items():
        if not hasattr(settings, name):
            setattr(settings, name, default)
    if getattr(settings, "EMAIL_TIMEOUT", None) is None:
        settings.EMAIL_TIMEOUT = EMAIL_TIMEOUT_WHEN_UNSET
    middleware = list(getattr(settings, "MIDDLEWARE", []))
    if JSON_ERRORS_MIDDLEWARE not in middleware:
        settings.MIDDLEWARE = [JSON_ERRORS_MIDDLEWARE, *middleware]
