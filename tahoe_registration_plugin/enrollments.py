"""
Which courses a key may act on, and in which mode (docs/decisions/0008).

A key acts only on courses of its own site: those whose organization the site's
``course_org_filter`` names, or, for a site without one, those whose organization no other site
claims. The scope is judged on the course as the platform stores it, never on the id as sent:
the database finds a course whatever the case of the id (and, on MySQL, whatever its accents),
so the id sent and the stored one must be the same but for the case of ASCII letters, and the
stored course's organization must be the site's. A course outside that scope is answered as one
that does not exist, so a key learns nothing about other sites' catalogs.
"""
from functools import reduce
from operator import or_

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from tahoe_registration_plugin.conf import configured
from tahoe_registration_plugin.data import Enrollment
from tahoe_registration_plugin.errors import item_problem

NO_SUCH_COURSE_MSG = _("there is no such course on this site.")
NO_SUCH_MODE_MSG = _("the course has no mode {mode!r}; it offers {modes}.")
LISTED_TWICE_MSG = _("the course is listed twice.")
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def folded(value):
    """``value`` with its ASCII letters in lower case, and nothing else changed (as SQLite's NOCASE compares)."""
    return str(value).translate(ASCII_LOWER)


class SiteCourses:
    """The courses of one site, as a key of that site may see them."""

    def __init__(self, backend, site):
        self.backend = backend
        self.site = site

    @cached_property
    def own_orgs(self):
        """The organizations the site's ``course_org_filter`` names, folded, or None: "any no other site claims"."""
        orgs = self.configured_orgs()
        return {folded(org) for org in orgs} if orgs is not None else None

    @cached_property
    def others_orgs(self):
        return {folded(org) for org in orgs_claimed_by_other_sites(self.site)}

    def includes_org(self, org):
        return folded(org) in self.own_orgs if self.own_orgs is not None else folded(org) not in self.others_orgs

    def configured_orgs(self):
        """The organizations as the site's ``course_org_filter`` spells them, or None."""
        orgs = configured("course_org_filter", None, site=self.site)
        return ([orgs] if isinstance(orgs, str) else list(orgs)) if orgs else None

    def listed(self):
        """The site's courses (``data.Course`` without modes), ordered by id."""
        courses = self.backend.all_courses(orgs=self.configured_orgs())
        return [course for course in courses if self.includes_org(course.course_key.org)]

    def course_id_filter(self, field="course_id"):
        """
        A ``Q`` keeping rows whose ``field`` (a course id) may be of the site's organizations. The
        database compares without case (MySQL also without accents): confirm with ``includes_org``.
        """
        def of(orgs):
            return reduce(or_, (Q(**{f"{field}__istartswith": f"course-v1:{org}+"})
                                | Q(**{f"{field}__istartswith": f"{org}/"}) for org in orgs), Q(pk__in=[]))

        own = self.configured_orgs()
        if own is not None:
            return of(own)
        others = orgs_claimed_by_other_sites(self.site)
        return ~of(others) if others else Q()

    def find_by_id(self, course_id):
        """``find`` for a course id as text; None for one that is not a course id."""
        try:
            return self.find(CourseKey.from_string(course_id))
        except InvalidKeyError:
            return None

    def find(self, course_key):
        """The site's course ``course_key`` names (a ``data.Course``, as stored), or None."""
        course = self.backend.find_course(course_key)
        if course is None or folded(course.course_key) != folded(course_key):
            return None  # none, or one the database matched by folding accents (MySQL's collations do)
        return course if self.includes_org(course.course_key.org) else None

    def resolve(self, requested):
        """
        ``(enrollments, problems)``: each requested ``data.Enrollment`` in the course as stored, with
        its mode (the course's default where none was asked for), and one message per item refused,
        naming it as sent: not the site's, a mode the course lacks, or a course listed before.
        """
        resolved, problems, seen = [], [], set()
        for position, enrollment in enumerate(requested, start=1):
            course = self.find(enrollment.course_key)
            if course is None:
                problems.append(item_problem(position, enrollment.course_key, NO_SUCH_COURSE_MSG))
            elif course.course_key in seen:
                problems.append(item_problem(position, enrollment.course_key, LISTED_TWICE_MSG))
            elif enrollment.mode is not None and enrollment.mode not in course.modes:
                problems.append(item_problem(position, enrollment.course_key, NO_SUCH_MODE_MSG.format(
                    mode=enrollment.mode, modes=", ".join(course.modes),
                )))
            else:
                seen.add(course.course_key)
                mode = enrollment.mode or self.backend.default_mode(course.modes)
                resolved.append(Enrollment(course.course_key, mode))
        return tuple(resolved), problems


def orgs_claimed_by_other_sites(site):
    """The organizations other sites' enabled configurations name in their ``course_org_filter``."""
    try:
        configuration_model = site._meta.get_field("configuration").related_model
    except FieldDoesNotExist:
        return set()
    claimed = set()
    for configuration in configuration_model.objects.filter(enabled=True).exclude(site=site):
        orgs = configuration.get_value("course_org_filter") or []
        claimed.update([orgs] if isinstance(orgs, str) else orgs)
    return claimed
