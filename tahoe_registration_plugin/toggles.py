"""
The operator's switches, declared as Open edX declares them (edx-toggles' ``WaffleSwitch``).

The plugin's initial migration still creates them, off: waffle lists in the admin only the
switches that exist, and an operator looking for how to turn the API off should find them there.
"""
from edx_toggles.toggles import WaffleSwitch
# The model itself, for reading a switch from the database when the cache is down.
from waffle import get_waffle_switch_model  # pylint: disable=invalid-django-waffle-import

from tahoe_registration_plugin.shared_cache import UNAVAILABLE, attempt

# .. toggle_name: tahoe_registration.api_disabled
# .. toggle_implementation: WaffleSwitch
# .. toggle_default: False
# .. toggle_description: Turns the whole registration API off: every version answers 503 with a
#   JSON message, e.g. while an identity provider owns registration.
# .. toggle_use_cases: circuit_breaker
# .. toggle_creation_date: 2026-11-27
API_DISABLED = "tahoe_registration.api_disabled"
API_DISABLED_SWITCH = WaffleSwitch(API_DISABLED, __name__)

# .. toggle_name: tahoe_registration.v1_disabled
# .. toggle_implementation: WaffleSwitch
# .. toggle_default: False
# .. toggle_description: Turns v1 off once its sunset date has passed: v1 answers 410 Gone, with its
#   deprecation headers and a message pointing to v2. v2 is not affected.
# .. toggle_use_cases: temporary
# .. toggle_creation_date: 2026-11-27
# .. toggle_target_removal_date: when v1's code is removed
V1_DISABLED = "tahoe_registration.v1_disabled"
V1_DISABLED_SWITCH = WaffleSwitch(V1_DISABLED, __name__)


def _is_enabled(switch):
    enabled = attempt(switch.is_enabled)
    if enabled is UNAVAILABLE:
        # Waffle reads through the cache; when the cache is down, ask the database itself.
        return get_waffle_switch_model().objects.filter(name=switch.name, active=True).exists()
    return enabled


def api_disabled():
    return _is_enabled(API_DISABLED_SWITCH)


def v1_disabled():
    return _is_enabled(V1_DISABLED_SWITCH)
