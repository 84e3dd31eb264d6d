"""The operator's switches (django-waffle), created off by a data migration so they show in the admin."""

from waffle import get_waffle_switch_model, switch_is_active  # pylint: disable=invalid-django-waffle-import

from tahoe_registration_plugin.logs import get_logger

log = get_logger(__name__)

# .. toggle_name: tahoe_registration.api_disabled
# .. toggle_implementation: WaffleSwitch
# .. toggle_default: False
# .. toggle_description: Turns the whole registration API off: every version answers 503 with a
#   JSON message, e.g. while an identity provider owns registration.
# .. toggle_use_cases: circuit_breaker
# .. toggle_creation_date: 2026-11-27
API_DISABLED = "tahoe_registration.api_disabled"

# .. toggle_name: tahoe_registration.v1_disabled
# .. toggle_implementation: WaffleSwitch
# .. toggle_default: False
# .. toggle_description: Turns v1 off once its sunset date has passed: v1 answers 410 Gone, with its
#   deprecation headers and a message pointing to v2. v2 is not affected.
# .. toggle_use_cases: temporary
# .. toggle_creation_date: 2026-11-27
# .. toggle_target_removal_date: when v1's code is removed
V1_DISABLED = "tahoe_registration.v1_disabled"


def _is_active(name):
    try:
        return switch_is_active(name)
    except Exception:  # pylint: disable=broad-except
        # Waffle reads through the cache; when the cache is down, ask the database itself.
        log.warning("Waffle could not read switch %s through the cache; reading the database.", name)
        return get_waffle_switch_model().objects.filter(name=name, active=True).exists()


def api_disabled():
    return _is_active(API_DISABLED)


def v1_disabled():
    return _is_active(V1_DISABLED)
