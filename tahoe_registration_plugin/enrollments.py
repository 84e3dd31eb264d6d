"""
Which courses a key may enroll a new learner in, and in which mode (docs/decisions/0008).

A key enrolls only in courses of its own site: those whose organization the site's
``course_org_filter`` names, or, for a site without one, those whose organization no other site
claims. A course outside that scope is answered as one that does not exist, so a key learns
nothing about other sites' catalogs.
"""
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from tahoe_registration_plugin.conf import configured
from tahoe_registration_plugin.data import Enrollment

ITEM_PROBLEM_MSG = _("Item {position} ({course_id}): {problem}")
NO_SUCH_COURSE_MSG = _("there is no such course on this site.")
NO_SUCH_MODE_MSG = _("the course has no mode {mode!r}; it offers {modes}.")


def item_problem(position, course_id, problem):
    """What is wrong with the ``position``-th (from 1) item of a list of courses, naming it."""
    return ITEM_PROBLEM_MSG.format(position=position, course_id=course_id, problem=problem)


def resolve(backend, site, requested):
    """
    ``(enrollments, problems)``: each requested ``data.Enrollment`` with its mode (the course's
    default where none was asked for), and one message per item refused, naming it.
    """
    if not requested:
        return (), []
    own_orgs = course_orgs(site)
    others_orgs = orgs_claimed_by_other_sites(site) if own_orgs is None else set()
    resolved, problems = [], []
    for position, enrollment in enumerate(requested, start=1):
        course_key = enrollment.course_key
        in_scope = course_key.org in own_orgs if own_orgs is not None else course_key.org not in others_orgs
        modes = backend.course_modes(course_key) if in_scope else None
        if modes is None:
            problems.append(item_problem(position, course_key, NO_SUCH_COURSE_MSG))
        elif enrollment.mode is not None and enrollment.mode not in modes:
            problems.append(item_problem(position, course_key, NO_SUCH_MODE_MSG.format(
                mode=enrollment.mode, modes=", ".join(modes),
            )))
        else:
            resolved.append(Enrollment(course_key, enrollment.mode or backend.default_mode(modes)))
    return tuple(resolved), problems


def course_orgs(site):
    """
    The course organizations ``site``'s keys may enroll learners in, or None for "any organization
    no other site claims".

    As the LMS scopes a site's catalog: a site's ``course_org_filter`` (one organization or a list)
    names its organizations; a site without one (the main site) has the courses whose organization
    no other site's ``course_org_filter`` names.
    """
    orgs = configured("course_org_filter", None, site=site)
    if orgs:
        return {orgs} if isinstance(orgs, str) else set(orgs)
    return None


def orgs_claimed_by_other_sites(site):
    """The organizations other sites' enabled configurations name in their ``course_org_filter``."""
    try:
        configuration_model = site._meta.get_field("configuration").related_model
    except FieldDoesNotExist:
        return set()
    claimed = set()
    others = configuration_model.objects.filter(enabled=True).exclude(site=site)
    for values in others.values_list("site_values", flat=True):
        orgs = (values or {}).get("course_org_filter") or []
        claimed.update([orgs] if isinstance(orgs, str) else orgs)
    return claimed
