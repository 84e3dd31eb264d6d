"""
Which learners a key may see and act on (CONTRACT §9; docs/decisions/0013).

A site's learners are the users the platform records as having signed up on it (the backend's
``signed_up_on``: ``created_on_site``, ``UserSignupSource``) and those this API registered there.
Staff and superusers are nobody's learners: a key never reads or changes an operator's account.
Nor is an account without a profile (the backends' ``signed_up_on``), which no registration makes.
Anyone else is answered as someone who does not exist. A learner is named by email (any text
with an ``@``) or by username, compared as a registration compares them: without case, through
the database, then confirmed in Python, so that MySQL's accent-folding collations and SQLite
give the same answer.
"""
import re
from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.db.models.functions import Lower

from tahoe_registration_plugin.identities import IdentityError, normalize_email
from tahoe_registration_plugin.models import RegistrationRecord


def is_email(identifier):
    return "@" in identifier


def stored_email(identifier):
    """The email ``identifier`` names, as registrations store it, or None for one they refuse."""
    try:
        return normalize_email(identifier)
    except IdentityError:
        return None


def domain_spellings(email):
    """``email`` with its domain in each spelling an account may hold: IDNA (as registrations store it) and Unicode."""
    local_part, _at, domain = email.rpartition("@")
    spellings = {email}
    try:
        spellings.add(f"{local_part}@{domain.encode('ascii').decode('idna')}")
    except UnicodeError:
        pass
    return spellings


def comparable(identifier):
    """
    The form ``identifier`` is compared in, lower-cased: an email as registrations store it (an
    address they would refuse as it is), or a username.
    """
    if is_email(identifier):
        return (stored_email(identifier) or identifier).lower()
    return identifier.lower()


class SiteLearners:
    """The learners of one site, as a key of that site may see them."""

    def __init__(self, backend, site):
        self.backend = backend
        self.site = site

    def users(self):
        """The site's learners, a queryset of users."""
        registered_here = Q(pk__in=RegistrationRecord.objects.filter(site=self.site).values("user_id"))
        return get_user_model().objects.filter(is_staff=False, is_superuser=False).filter(
            registered_here | self.backend.signed_up_on(self.site)
        )

    def find(self, identifier):
        """The site's learner ``identifier`` names, or None."""
        return self.find_many([identifier]).get(identifier)

    def find_many(self, identifiers):
        """``{identifier: user}`` for each of ``identifiers`` that names one of the site's learners (two queries)."""
        wanted = {identifier: comparable(identifier) for identifier in identifiers}
        found = {}
        emails = [name for name in wanted if is_email(name)]
        usernames = [name for name in wanted if not is_email(name)]
        for field, names in (("email", emails), ("username", usernames)):
            values = {wanted[name] for name in names if wanted[name]}
            if field == "email":
                # An account the platform's own form made may hold its domain in Unicode.
                values = {spelling.lower() for value in values for spelling in domain_spellings(value)}
            if not values:
                continue
            by_value = {comparable(getattr(user, field)): user for user in matching(self.users(), field, values)}
            found.update({name: by_value[wanted[name]] for name in names if wanted[name] in by_value})
        return found


def matching(queryset, field, values):
    """
    The rows of ``queryset`` whose ``field`` may equal one of ``values`` (lower-cased), through an
    index where there is one. MySQL's ``*_ci`` collations also fold accents: the caller confirms.
    SQLite's ``LOWER()`` folds ASCII letters only: a value with other letters is matched by a
    case-insensitive regular expression, which Django runs in Python there.
    """
    if connection.vendor == "mysql":
        return queryset.filter(**{f"{field}__in": values})
    ascii_values = {value for value in values if value.isascii()}
    others = [Q(**{f"{field}__iregex": f"^{re.escape(value)}$"}) for value in values if not value.isascii()]
    match = reduce(or_, others, Q(compared__in=ascii_values))
    return queryset.annotate(compared=Lower(field)).filter(match)
