"""The request the platform's helpers read the site from, outside a request being answered."""
from tahoe_registration_plugin.backends.site_request import current_request


def test_outside_a_request_the_platforms_emails_get_an_https_request_for_the_site(site):
    request = current_request(site)

    assert request.is_secure()
    assert request.get_host() == site.domain
    assert (request.site, request.user.is_authenticated) == (site, False)
