"""
What a username, an email address and a full name may contain, and the one form an email address
is stored in, so that one mailbox is one account on every database.

Decisions (docs/decisions/0006-one-mailbox-one-account.rst):

- Refused in the username and the email: control characters (C0, C1) and invisible "format"
  characters (zero-width spaces and joiners, the soft hyphen, bidirectional controls, the byte
  order mark): they make two different-looking strings of one identity, or one of two.
- Refused in the username: compatibility characters such as fullwidth letters (a username must be
  as Unicode's NFKC normalization leaves it). The platform's default username rules allow ASCII
  only anyway.
- Refused in the email: anything but ASCII before the ``@``. Mail servers treat that part as
  their own; non-ASCII there is mostly a look-alike (``ſ``, dotless ``ı``) that databases compare
  differently (MySQL's collations fold them, SQLite does not).
- Normalized in the email: the domain, to its ASCII (IDNA) form in lower case, as DNS and every
  mail server read it: a fullwidth domain, an internationalized domain and its punycode, ``ß``
  and ``ss`` become one. The stored address is then ASCII, which SQLite and MySQL compare alike.
- Quoted local parts: ``"alex"@example.com`` names the mailbox ``alex@example.com`` (RFC 5321
  compares them as one), so it is stored unquoted; a quoted part that has no unquoted form
  (spaces, commas, ``@``, quotes inside) is refused.
- Refused in the email: a domain that is an address literal (``x@[127.0.0.1]``,
  ``x@[IPv6:…]``): a learner's mailbox is on a named domain, and mail to a bare IP address is a
  way around the site's email allow-list and its mail server's rules.
- Refused in the full name: control characters (a CR or LF could forge lines in emails and logs).
"""
import re
import unicodedata

from django.utils.translation import gettext_lazy as _

CONTROL = "Cc"
FORMAT = "Cf"  # invisible: zero-width characters, soft hyphen, bidi controls, byte order mark

INVISIBLE_OR_CONTROL_MSG = _("Must not contain invisible or control characters.")
CONTROL_MSG = _("Must not contain control characters such as line breaks.")
COMPATIBILITY_MSG = _("Must not contain compatibility characters such as fullwidth letters.")
NON_ASCII_LOCAL_PART_MSG = _("The part before the @ must use ASCII characters only.")
INVALID_DOMAIN_MSG = _("The part after the @ is not a valid domain name.")
QUOTED_LOCAL_PART_MSG = _("The part before the @ must not need quotes.")
ADDRESS_LITERAL_MSG = _("The part after the @ must be a domain name, not an address.")
# RFC 5322's dot-atom: what a local part may be without quotes.
DOT_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
QUOTED_PAIR = re.compile(r"\\(.)")


class IdentityError(ValueError):
    """A value refused for what it contains; its message says why, for the caller."""


def _categories(value):
    return {unicodedata.category(character) for character in value}


def check_visible(value):
    """Refuse a username or email with invisible or control characters; return it unchanged."""
    if _categories(value) & {CONTROL, FORMAT}:
        raise IdentityError(INVISIBLE_OR_CONTROL_MSG)
    return value


def check_username(username):
    """Refuse a username with invisible, control or compatibility characters; return it unchanged."""
    check_visible(username)
    if unicodedata.normalize("NFKC", username) != username:
        raise IdentityError(COMPATIBILITY_MSG)
    return username


def normalize_email(address):
    """
    ``address`` in the one form it is stored and compared in: the part before the ``@`` as given
    (ASCII only, unquoted), the domain in its lower-case IDNA form.
    """
    check_visible(address)
    local_part, _at, domain = address.rpartition("@")
    if not local_part.isascii():
        raise IdentityError(NON_ASCII_LOCAL_PART_MSG)
    if local_part.startswith('"'):
        local_part = QUOTED_PAIR.sub(r"\1", local_part[1:-1])
        if not DOT_ATOM.fullmatch(local_part):
            raise IdentityError(QUOTED_LOCAL_PART_MSG)
    if domain.startswith("["):
        raise IdentityError(ADDRESS_LITERAL_MSG)
    try:
        # Python's IDNA codec applies nameprep (NFKC, case folding, ß to ss) to non-ASCII labels.
        domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise IdentityError(INVALID_DOMAIN_MSG) from error
    return f"{local_part}@{domain}"


def check_name(name):
    """Refuse a full name with control characters; return it unchanged."""
    if CONTROL in _categories(name):
        raise IdentityError(CONTROL_MSG)
    return name
