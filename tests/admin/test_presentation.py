"""How the app's admin pages look: the app's stylesheet on them, and the markup it draws."""
import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test.html import Element, parse_html

from tahoe_registration_plugin.admin.presentation import STYLESHEET
from tests.factories import ApiKeyFactory

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
