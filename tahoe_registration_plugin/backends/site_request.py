"""The request a platform helper reads the site from: the one being answered, or one made for the site."""
from crum import get_current_request
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest


class SiteRequest(HttpRequest):
    """A request for a site over HTTPS, where there is no request being answered."""

    def __init__(self, site):
        super().__init__()
        self.META.update({"SERVER_NAME": site.domain, "SERVER_PORT": "443"})
        self.site = site
        self.user = AnonymousUser()
        # Empty, never saved: the platform's helpers look for a sign-in pipeline in it.
        self.session = SessionBase()

    def _get_scheme(self):
        # A bare HttpRequest says "http"; the platform builds its emails' links from is_secure().
        return "https"


def current_request(site):
    """
    The request being answered (the platform's helpers find it through crum, as the LMS's own
    ``request_password_change`` does), or, outside one (a command, a task), a ``SiteRequest``.
    """
    return get_current_request() or SiteRequest(site)
