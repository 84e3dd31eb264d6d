"""The site of a request, resolved from its host as the LMS does, with two sites."""
import pytest
from django.contrib.sites.models import Site
from django.test import RequestFactory

from tahoe_registration_plugin.sites import get_site_for_request
from tests.factories import SiteFactory


@pytest.fixture
def two_sites(db):  # pylint: disable=unused-argument
    return SiteFactory(domain="alpha.example.com"), SiteFactory(domain="beta.example.com:8443")


@pytest.mark.parametrize("host, expected", [
    ("alpha.example.com", "alpha.example.com"),
    ("ALPHA.Example.COM", "alpha.example.com"),
    ("alpha.example.com:8000", "alpha.example.com"),
    ("beta.example.com:8443", "beta.example.com:8443"),
    ("BETA.example.com:8443", "beta.example.com:8443"),
])
@pytest.mark.usefixtures("two_sites")
def test_the_host_picks_the_site_case_insensitively_with_or_without_port(host, expected):
    request = RequestFactory().get("/", HTTP_HOST=host)

    assert get_site_for_request(request).domain == expected


@pytest.mark.usefixtures("two_sites")
def test_an_unknown_host_falls_back_to_site_id(settings):
    request = RequestFactory().get("/", HTTP_HOST="unknown.example.com")

    assert get_site_for_request(request) == Site.objects.get(pk=settings.SITE_ID)
