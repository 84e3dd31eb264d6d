"""
``openedx.core.djangoapps.site_configuration.helpers`` (helpers.py @ e57a655d): values of the
current request's site configuration (crum), while it is enabled; a dict default is merged.
"""
import crum


def get_value(name, default=None):
    request = crum.get_current_request()
    configuration = getattr(getattr(request, "site", None), "configuration", None)
    value = configuration.get_value(name, default) if configuration is not None else default
    if isinstance(default, dict) and isinstance(value, dict):
        return {**default, **value}
    return value
