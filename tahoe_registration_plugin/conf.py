"""
The plugin's settings, read lazily.

Plugin apps are imported before Django's settings are complete, so nothing here reads
``django.conf.settings`` at import time: every value is read when it is used. ``DEFAULTS`` is the
one place that names each setting and its default; ``settings/common.py`` applies the same
defaults to an LMS's settings module.

In an LMS, the settings in ``SITE_OVERRIDABLE`` may also be set per site, in the site's
configuration; ``site_settings.for_site(site)`` reads them there first.
"""
import datetime

from django.conf import settings as django_settings

DEFAULTS = {
    # Dotted path of the class that creates accounts and sends their emails (the platform seam);
    # standalone projects name ``tahoe_registration_plugin.backends.standalone.StandaloneBackend``.
    "TAHOE_REGISTRATION_PLATFORM_BACKEND": "tahoe_registration_plugin.backends.openedx.OpenedxBackend",
    # Requests a key may make, as a DRF rate: "<count>/<second|minute|hour|day>".
    "TAHOE_REGISTRATION_RATE": "60/minute",
    # The date v1 was deprecated (ISO 8601), sent in its ``Deprecation`` header.
    "TAHOE_REGISTRATION_V1_DEPRECATION_DATE": "2021-07-01T00:00:00+00:00",
    # The date v1 stops, or None while it has none; sent in its ``Sunset`` header.
    "TAHOE_REGISTRATION_V1_SUNSET_DATE": None,
    # Path of v1's successor in its ``Link`` header; None means v2's own path.
    "TAHOE_REGISTRATION_V1_SUCCESSOR_PATH": None,
    # Largest request body accepted; a registration needs well under 1 KiB.
    "TAHOE_REGISTRATION_MAX_BODY_BYTES": 64 * 1024,
    # Most courses one v2 registration may enroll the learner in.
    "TAHOE_REGISTRATION_MAX_ENROLLMENTS": 20,
    # Days a rotated key keeps working beside its replacement (unless it already expires sooner).
    "TAHOE_REGISTRATION_ROTATION_GRACE_DAYS": 7,
}

SITE_OVERRIDABLE = frozenset({
    "TAHOE_REGISTRATION_RATE",
    "TAHOE_REGISTRATION_V1_DEPRECATION_DATE",
    "TAHOE_REGISTRATION_V1_SUNSET_DATE",
    "TAHOE_REGISTRATION_V1_SUCCESSOR_PATH",
})


def _parse_datetime(value):
    """Accept a datetime, a date or an ISO 8601 string; a naive value is taken as UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    elif not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


class RegistrationSettings:
    """The plugin's settings as typed properties, each read when accessed."""

    def __init__(self, site_value=None):
        # ``site_value(name, default)`` gives a site's own value of a SITE_OVERRIDABLE setting.
        self._site_value = site_value

    def with_site_values(self, site_value):
        """These settings as seen by one site, whose values ``site_value(name, default)`` gives."""
        return RegistrationSettings(site_value)

    def _get(self, name):
        value = getattr(django_settings, name, DEFAULTS[name])
        if self._site_value is not None and name in SITE_OVERRIDABLE:
            value = self._site_value(name, value)
        return value

    @property
    def platform_backend(self):
        return self._get("TAHOE_REGISTRATION_PLATFORM_BACKEND")

    @property
    def rate(self):
        return self._get("TAHOE_REGISTRATION_RATE")

    @property
    def v1_deprecation_date(self):
        return _parse_datetime(self._get("TAHOE_REGISTRATION_V1_DEPRECATION_DATE"))

    @property
    def v1_sunset_date(self):
        return _parse_datetime(self._get("TAHOE_REGISTRATION_V1_SUNSET_DATE"))

    @property
    def v1_successor_path(self):
        return self._get("TAHOE_REGISTRATION_V1_SUCCESSOR_PATH")

    @property
    def max_body_bytes(self):
        return int(self._get("TAHOE_REGISTRATION_MAX_BODY_BYTES"))

    @property
    def max_enrollments(self):
        return int(self._get("TAHOE_REGISTRATION_MAX_ENROLLMENTS"))

    @property
    def rotation_grace(self):
        return datetime.timedelta(days=float(self._get("TAHOE_REGISTRATION_ROTATION_GRACE_DAYS")))


settings = RegistrationSettings()
