"""
How the app's admin pages look: the app's stylesheet on them, the markup it draws, and list columns
that wrap but say what the admin's own would.
"""
import datetime

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test.html import Element, parse_html

from tahoe_registration_plugin.admin.presentation import STYLESHEET
from tests.admin.conftest import list_page
from tests.admin.test_api_keys import create_key_in_admin
from tests.factories import (
    ApiKeyFactory,
    EnrollmentRecordFactory,
    RegistrationRecordFactory,
    SiteAdministratorFactory,
    SiteFactory,
    UserFactory,
)

ADMIN = "/admin/tahoe_registration_plugin"


def elements(node, ancestors=()):
    """Every element of a ``parse_html`` tree, in document order, each with its ancestors: ``(element, (...))``."""
    for child in node.children:
        if isinstance(child, Element):
            yield child, ancestors
            yield from elements(child, (*ancestors, child))


def classes(element):
    return dict(element.attributes).get("class", "").split()


def stylesheets(page):
    return [dict(element.attributes)["href"] for element, _ancestors in elements(page)
            if element.name == "link" and dict(element.attributes).get("rel") == "stylesheet"]


def test_the_stylesheet_is_found_by_the_staticfiles_finders():
    found = finders.find(STYLESHEET)

    assert found and found.endswith("tahoe_registration_plugin/static/" + STYLESHEET)


@pytest.mark.parametrize("model", ["apikey", "registrationrecord", "enrollmentrecord", "siteadministrator"])
def test_every_list_page_of_the_app_loads_the_stylesheet(admin_client, model):
    page = parse_html(admin_client.get(f"{ADMIN}/{model}/").content.decode())

    assert static(STYLESHEET) in stylesheets(page)


def test_the_rotate_button_is_an_object_tool_the_stylesheet_draws(admin_client, site):
    api_key = ApiKeyFactory(site=site)

    page = parse_html(admin_client.get(f"{ADMIN}/apikey/{api_key.pk}/change/").content.decode())

    [(button, ancestors)] = [(element, ancestors) for element, ancestors in elements(page)
                             if dict(element.attributes).get("id") == "rotate-key"]
    form, item, tools = ancestors[-1], ancestors[-2], ancestors[-3]
    # The stylesheet's selectors: ".object-tools form" and ".object-tools button"; no inline style
    # to fight them.
    assert (button.name, form.name, item.name, tools.name) == ("button", "form", "li", "ul")
    assert "object-tools" in classes(tools)
    assert not [element for element in (button, form) if "style" in dict(element.attributes)]
    assert static(STYLESHEET) in stylesheets(page)
    with open(finders.find(STYLESHEET), encoding="utf-8") as stylesheet:
        rules = stylesheet.read()
    assert ".object-tools form {" in rules and ".object-tools button {" in rules
    assert ".object-tools button:focus, .object-tools button:hover {" in rules


def test_the_created_page_loads_the_stylesheet_that_lets_the_secret_wrap(admin_client, site):
    created = admin_client.get(create_key_in_admin(admin_client, site)["Location"])

    page = parse_html(created.content.decode())

    [secret] = [element for element, _ancestors in elements(page)
                if dict(element.attributes).get("id") == "api-key-secret"]
    assert created.context["secret"] and "style" not in dict(secret.attributes)
    assert static(STYLESHEET) in stylesheets(page)


WHEN = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc)
LONG_DOMAIN = "courses.northwind-continuing-education.example.com"
LONG_EMAIL = "alexandra.konstantinopoulou@people-operations.example.org"


def test_the_registration_records_say_when_where_who_and_which_key(admin_client):
    site = SiteFactory(domain=LONG_DOMAIN)
    api_key = ApiKeyFactory(site=site, name="Salesforce connector")
    RegistrationRecordFactory(site=site, api_key=api_key, created=WHEN, api_version="v1",
                              user=UserFactory(username="alexandra_k", email=LONG_EMAIL))

    page = admin_client.get(f"{ADMIN}/registrationrecord/")

    assert list_page(page) == (
        ["Created", "Site", "User", "Email", "API key", "API version"],
        [["2026-03-04 05:06", LONG_DOMAIN, "alexandra_k", LONG_EMAIL, f"{api_key.prefix}… (Salesforce connector)",
          "v1"]],
    )
    html = page.content.decode()
    # Where the long values may wrap; the instant whole in the time's title.
    assert "courses.<wbr>northwind-continuing-education.<wbr>example.<wbr>com" in html
    assert "alexandra.<wbr>konstantinopoulou@<wbr>people-operations.<wbr>example.<wbr>org" in html
    assert '<time datetime="2026-03-04T05:06:07+00:00" title="2026-03-04 05:06:07 UTC">' in html


def test_the_enrollment_records_say_when_where_which_key_what_for_whom_and_the_outcome(admin_client):
    site = SiteFactory(domain=LONG_DOMAIN)
    api_key = ApiKeyFactory(site=site, name="Salesforce connector")
    EnrollmentRecordFactory(site=site, api_key=api_key, created=WHEN, learner=LONG_EMAIL, action="unenroll",
                            course_id="course-v1:NorthwindX+DataScience101+2026_T1", status="already_enrolled",
                            mode="verified")
    EnrollmentRecordFactory(site=site, api_key=None, created=WHEN - datetime.timedelta(days=1))

    page = admin_client.get(f"{ADMIN}/enrollmentrecord/")

    headers, rows = list_page(page)
    assert headers == ["Created", "Site", "API key", "Action", "Learner", "Course", "Status", "Mode"]
    assert rows[0] == ["2026-03-04 05:06", LONG_DOMAIN, f"{api_key.prefix}… (Salesforce connector)", "unenroll",
                       LONG_EMAIL, "course-v1:NorthwindX+DataScience101+2026_T1", "already_enrolled", "verified"]
    assert rows[1][2] == "-"  # a deleted key
    assert "course-v1:<wbr>NorthwindX+<wbr>DataScience101+<wbr>2026_<wbr>T1" in page.content.decode()


def test_the_site_administrators_say_who_where_granted_by_whom_and_when(admin_client):
    grantor = UserFactory(username="operator")
    SiteAdministratorFactory(site=SiteFactory(domain=LONG_DOMAIN), user__username="jane", granted_by=grantor,
                             granted_at=WHEN)

    page = admin_client.get(f"{ADMIN}/siteadministrator/")

    assert list_page(page) == (
        ["User", "Site", "Granted by", "Granted"],
        [["jane", LONG_DOMAIN, "operator", "2026-03-04 05:06"]],
    )


def test_markup_in_a_key_name_or_a_learner_is_shown_as_text(admin_client, site):
    """A key's name and a learner come from callers and site administrators: the wrapping columns escape them."""
    hostile = '<img src=x onerror="alert(1)">.evil'
    api_key = ApiKeyFactory(site=site, name=hostile)
    EnrollmentRecordFactory(site=site, api_key=api_key, learner=hostile)

    pages = [admin_client.get(f"{ADMIN}/{model}/").content.decode() for model in ("apikey", "enrollmentrecord")]

    assert not [page for page in pages if "<img src=x" in page or 'onerror="' in page]
    assert all("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.<wbr>evil" in page for page in pages)
    assert list_page(admin_client.get(f"{ADMIN}/enrollmentrecord/"))[1][0][4] == hostile
