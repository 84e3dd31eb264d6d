"""
What each API request leaves for operators: monitoring attributes and one log line.

The attributes (edx-django-utils' ``set_custom_attribute``, so New Relic, Datadog or OpenTelemetry,
whichever the LMS uses) let an operator find who still calls v1 before its sunset. Neither they nor
the log line hold an email, a password or a secret: only the key's visible prefix.
"""

from edx_django_utils.monitoring import set_custom_attribute

from tahoe_registration_plugin.logs import get_logger

log = get_logger(__name__)

OUTCOMES = {
    200: "created",
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "too_large",
    415: "unsupported_media_type",
    429: "throttled",
    503: "unavailable",
}


def record_rate_limit_unavailable():
    """Mark the request as let through without a rate limit (the cache could not count it)."""
    set_custom_attribute("tahoe_registration.rate_limit", "unavailable")


def record_request(api_version, site, api_key, response, endpoint="registrations"):
    """Set the request's monitoring attributes and log one line about it."""
    values = {
        "api_version": api_version,
        "endpoint": endpoint,
        "site": site.domain if site is not None else "",
        "key_prefix": api_key.prefix if api_key else "",
        # Operators' dashboards count registrations "created"; the other endpoints' 200 is "ok".
        "outcome": "ok" if response.status_code == 200 and endpoint != "registrations"
        else OUTCOMES.get(response.status_code, str(response.status_code)),
        "status": response.status_code,
    }
    created = endpoint == "registrations" and response.status_code == 200 and isinstance(response.data, dict)
    user_id = response.data.get("user_id") if created else None
    for name, value in values.items():
        set_custom_attribute(f"tahoe_registration.{name}", value)
    log.info(
        "tahoe_registration_request %s",
        " ".join(f"{name}={value}" for name, value in {**values, "user_id": user_id or ""}.items()),
    )
