"""
The plugin's settings, and the one reader of configuration the plugin's own code uses.

Each of the plugin's settings is declared once here, with its default and meaning, and read
lazily: plugin apps are imported before Django's settings are complete, so nothing here reads
``django.conf.settings`` at import time. ``api_settings`` holds them as typed attributes (as DRF
names its own); ``api_settings.for_site(site)`` reads the per-site ones from the site's
configuration first. ``configured`` reads any other value the same way (a site's
``course_org_filter``, a Django setting). The Open edX backend reads the platform's own settings
as the platform reads them, through the platform's helpers. ``plugin_settings`` is the plugin's
``settings_config`` hook.
"""
import datetime

from django.conf import settings as django_settings

# First, so that it sees every answer under /tahoe/api/, even one another middleware made.
JSON_ERRORS_MIDDLEWARE = "tahoe_registration_plugin.rest_api.middleware.JsonErrorsUnderApiMiddleware"


def _datetime(value):
    """A datetime, a date or an ISO 8601 string as an aware datetime (naive means UTC); empty is None."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    elif not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


def _days(value):
    return datetime.timedelta(days=float(value))


class Setting:
    """
    A setting named ``TAHOE_REGISTRATION_`` + the attribute's name in capitals, read when accessed,
    converted by ``parse``; a ``per_site`` one is read from the site's configuration first.
    """

    def __init__(self, default, doc, parse=None, per_site=False):
        self.default = default
        self.__doc__ = doc
        self.parse = parse
        self.per_site = per_site
        self.name = None

    def __set_name__(self, owner, attribute):
        self.name = f"TAHOE_REGISTRATION_{attribute.upper()}"

    def __get__(self, registration_settings, owner=None):
        if registration_settings is None:
            return self
        value = configured(self.name, self.default, site=registration_settings.site if self.per_site else None)
        return self.parse(value) if self.parse else value


class RegistrationSettings:
    """The plugin's settings as typed attributes, as Django's settings (and a site, if given) set them."""

    # Each docstring is also the setting's Open edX annotation, which `make quality` lints.
    platform_backend = Setting("tahoe_registration_plugin.backends.openedx.OpenedxBackend", """
        .. setting_name: TAHOE_REGISTRATION_PLATFORM_BACKEND
        .. setting_default: "tahoe_registration_plugin.backends.openedx.OpenedxBackend"
        .. setting_description: Dotted path of the class that creates accounts and sends their emails (the
          platform seam); standalone projects name ``tahoe_registration_plugin.backends.standalone.StandaloneBackend``.
    """)
    rate = Setting("60/minute", """
        .. setting_name: TAHOE_REGISTRATION_RATE
        .. setting_default: "60/minute"
        .. setting_description: Requests one API key may make, as a DRF rate (``<count>/<second|minute|hour|day>``),
          counted in Django's cache. Settable per site.
    """, per_site=True)
    v1_deprecation_date = Setting("2021-07-01T00:00:00+00:00", """
        .. setting_name: TAHOE_REGISTRATION_V1_DEPRECATION_DATE
        .. setting_default: "2021-07-01T00:00:00+00:00"
        .. setting_description: When v1 was deprecated (ISO 8601), sent in its ``Deprecation`` header.
          Settable per site.
    """, parse=_datetime, per_site=True)
    v1_sunset_date = Setting(None, """
        .. setting_name: TAHOE_REGISTRATION_V1_SUNSET_DATE
        .. setting_default: None
        .. setting_description: When v1 stops (ISO 8601), sent in its ``Sunset`` header; None while it has no date.
          Settable per site.
    """, parse=_datetime, per_site=True)
    v1_successor_path = Setting(None, """
        .. setting_name: TAHOE_REGISTRATION_V1_SUCCESSOR_PATH
        .. setting_default: None
        .. setting_description: The path v1's ``Link`` header and 410 message name as its successor; None means
          v2's own path. Settable per site.
    """, per_site=True)
    max_body_bytes = Setting(64 * 1024, """
        .. setting_name: TAHOE_REGISTRATION_MAX_BODY_BYTES
        .. setting_default: 65536
        .. setting_description: The largest request body accepted, in bytes (a larger one is a 413); a
          registration needs well under 1 KiB.
    """, parse=int)
    max_enrollments = Setting(20, """
        .. setting_name: TAHOE_REGISTRATION_MAX_ENROLLMENTS
        .. setting_default: 20
        .. setting_description: The most courses one v2 registration may enroll the learner in (more is a 400).
    """, parse=int)
    enrollments_max_courses = Setting(20, """
        .. setting_name: TAHOE_REGISTRATION_ENROLLMENTS_MAX_COURSES
        .. setting_default: 20
        .. setting_description: The most courses one enrollments call (``POST /tahoe/api/v2/enrollments/``)
          may name (more is a 400).
    """, parse=int)
    enrollments_max_learners = Setting(100, """
        .. setting_name: TAHOE_REGISTRATION_ENROLLMENTS_MAX_LEARNERS
        .. setting_default: 100
        .. setting_description: The most learners one enrollments call may name (more is a 400).
    """, parse=int)
    email_wait_seconds = Setting(8, """
        .. setting_name: TAHOE_REGISTRATION_EMAIL_WAIT_SECONDS
        .. setting_default: 8
        .. setting_description: The longest an API answer waits for a registration's email to be handed over
          to the mail server (whatever the server does: ``EMAIL_TIMEOUT`` bounds one socket operation, not a
          send). A send still running goes on, and the answer carries a warning. At most 10 is sensible.
    """, parse=float)
    api_contact_email = Setting(None, """
        .. setting_name: TAHOE_REGISTRATION_API_CONTACT_EMAIL
        .. setting_default: None
        .. setting_description: The address the API docs (``/tahoe/api/api-docs/``, ``swagger.yaml``) give as
          their contact, for integrators' questions; None leaves the contact out.
    """)
    rotation_grace_days = Setting(7, """
        .. setting_name: TAHOE_REGISTRATION_ROTATION_GRACE_DAYS
        .. setting_default: 7
        .. setting_description: Days a rotated key keeps working beside its replacement (unless it already
          expires sooner).
    """, parse=_days)

    def __init__(self, site=None):
        self.site = site

    def for_site(self, site):
        """The settings as ``site`` sees them: its configuration's values of the per-site settings first."""
        return RegistrationSettings(site)

    @classmethod
    def declared(cls):
        """Every ``Setting``, by its Django name."""
        return {setting.name: setting for setting in vars(cls).values() if isinstance(setting, Setting)}


api_settings = RegistrationSettings()
# Each setting's Django name and default.
DEFAULTS = {name: setting.default for name, setting in RegistrationSettings.declared().items()}


def configured(name, default=None, *, site=None):
    """
    ``name`` as ``site``'s configuration sets it, else as Django's settings set it, else ``default``.

    In an LMS, ``site.configuration`` is the site's ``SiteConfiguration``, whose ``get_value``
    answers only while it is enabled; the standalone project has a model of the same shape. A site
    without one (``RelatedObjectDoesNotExist`` is an ``AttributeError``) has Django's value. Read
    here, not through the platform backend, so the rate limit and v1's headers keep working when
    the platform cannot be loaded.
    """
    value = getattr(django_settings, name, default)
    configuration = getattr(site, "configuration", None) if site is not None else None
    if configuration is None:
        return value
    return configuration.get_value(name, value)


def plugin_settings(django_settings_module):
    """
    The ``settings_config`` hook (``common`` and ``production``): give each of the plugin's
    settings its default, and put the JSON-errors middleware first, keeping what is set. No
    setting that other apps read is changed.

    It runs again for ``production`` because the LMS loads the operator's YAML in between, which
    may replace ``MIDDLEWARE``; values the operator set are kept.
    """
    for name, default in DEFAULTS.items():
        if not hasattr(django_settings_module, name):
            setattr(django_settings_module, name, default)
    middleware = list(getattr(django_settings_module, "MIDDLEWARE", []))
    if JSON_ERRORS_MIDDLEWARE not in middleware:
        django_settings_module.MIDDLEWARE = [JSON_ERRORS_MIDDLEWARE, *middleware]
