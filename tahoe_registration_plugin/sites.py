"""The site a request is for, resolved as the LMS resolves it."""
from django.conf import settings
from django.contrib.sites.models import Site
from django.http.request import split_domain_port


def get_site_for_request(request):
    """
    The ``Site`` whose domain matches the request's host, else the ``SITE_ID`` site.

    As in the LMS (``Site.objects.get_current`` as patched by edx-django-sites-extensions), the
    domain is matched case-insensitively, first with the port, then without it.
    """
    host = request.get_host()
    domain, _port = split_domain_port(host)
    for candidate in dict.fromkeys((host, domain)):
        site = Site.objects.filter(domain__iexact=candidate).first() if candidate else None
        if site is not None:
            return site
    return Site.objects.get(pk=settings.SITE_ID)
