"""
Which courses a key may enroll a new learner in, and in which mode (docs/decisions/0008).

A key enrolls only in courses of its own site: those whose organization the site's
``course_org_filter`` names, or, for a site without one, those whose organization no other site
claims. A course outside that scope is answered as one that does not exist, so a key learns
nothing about other sites' catalogs.
"""
from tahoe_registration_plugin import site_settings
from tahoe_registration_plugin.data import Enrollment

NO_SUCH_COURSE_MSG = "Item {position} ({course_id}): there is no such course on this site."
NO_SUCH_MODE_MSG = "Item {position} ({course_id}): the course has no mode {mode!r}; it offers {modes}."


def resolve(backend, site, requested):
    """
    ``(enrollments, problems)``: each requested ``data.Enrollment`` with its mode (the course's
    default where none was asked for), and one message per item refused, naming it.
    """
    if not requested:
        return (), []
    own_orgs = site_settings.course_orgs(site)
    others_orgs = site_settings.orgs_claimed_by_other_sites(site) if own_orgs is None else set()
    resolved, problems = [], []
    for position, enrollment in enumerate(requested, start=1):
        course_key = enrollment.course_key
        in_scope = course_key.org in own_orgs if own_orgs is not None else course_key.org not in others_orgs
        modes = backend.course_modes(course_key) if in_scope else None
        if modes is None:
            problems.append(NO_SUCH_COURSE_MSG.format(position=position, course_id=course_key))
        elif enrollment.mode is not None and enrollment.mode not in modes:
            problems.append(NO_SUCH_MODE_MSG.format(
                position=position, course_id=course_key, mode=enrollment.mode, modes=", ".join(modes),
            ))
        else:
            resolved.append(Enrollment(course_key, enrollment.mode or backend.default_mode(modes)))
    return tuple(resolved), problems
