"""
An operator's day in a real browser (headless Chromium): log in to the admin, create a key, read
its secret shown once, see it is not shown again, use it, revoke it, see the API refuse it; and
every list page of the app, full of long names, at a desktop's width and a phone's.

Needs Debian's ``chromium`` and the ``playwright`` package (``make test-browser`` installs them
with ``.ci/services install-browser``). Screenshots of each page visited go to ``var/screenshots/``.
"""
import datetime
import itertools
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.utils import timezone

from tests.live import live_server

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
# As this machine's Chromium wants it: no sandbox as root, and no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
# The operator's window; every list page must fit a DESKTOP's and work on a PHONE's.
WIDE = {"width": 1600, "height": 900}
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
# The app's admin list pages: their names in the screenshots, and their models.
LIST_PAGES = {
    "api-keys": "apikey",
    "registration-records": "registrationrecord",
    "enrollment-records": "enrollmentrecord",
    "site-administrators": "siteadministrator",
}

# How the Rotate button and the admin's History link look, side by side in the object-tools.
LOOK = """element => {
    const style = getComputedStyle(element), box = element.getBoundingClientRect();
    const look = {height: box.height, top: box.top};
    for (const name of ["background-color", "color", "font-family", "font-size", "font-weight", "line-height",
                        "text-transform", "letter-spacing", "border-radius", "border-top-width", "padding",
                        "cursor", "transition-property", "transition-duration"]) {
        look[name] = style.getPropertyValue(name);
    }
    return look;
}"""

# How far the page reaches past the right edge of the window, in CSS pixels: the document (what
# scrolls sideways), the results table beyond its box (the admin scrolls it inside the box), and the
# visible elements whose right edge is past the window (the outermost of them: not those inside
# one already counted), each said with whether it is in that box.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const results = document.querySelector("#changelist-form .results");
    const beyond = [], counted = new Set();
    for (const element of document.querySelectorAll("body *")) {
        const box = element.getBoundingClientRect();
        if (box.width > 0 && box.height > 0 && box.right > width + 0.5) {
            counted.add(element);
            if (counted.has(element.parentElement)) {
                continue;
            }
            const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
                + (element.className && typeof element.className === "string"
                   ? "." + element.className.trim().split(/\\s+/).join(".") : "");
            beyond.push({element: name, by: Math.round(box.right - width), inResults: Boolean(
                results && results.contains(element) && results !== element)});
        }
    }
    return {
        page: document.documentElement.scrollWidth - width,
        results: results ? results.scrollWidth - results.clientWidth : null,
        beyond: beyond,
    };
}"""


def register(base_url, secret):
    """POST a learner as an integration would; return the HTTP status."""
    request = urllib.request.Request(
        f"{base_url}/tahoe/api/v2/registrations/",
        data=urllib.parse.urlencode({"username": "auserton", "email": "a@example.com", "name": "Alex"}).encode(),
        headers={"Authorization": f"Token {secret}"}, method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def resize(page, size):
    """Set the window's size, and wait until the page has it (laid out again at that width)."""
    page.set_viewport_size(size)
    page.wait_for_function("width => window.innerWidth === width", arg=size["width"])


def logged_in(playwright, base_url, username, password="a-long-passphrase"):
    """A headless Chromium with a page logged in to the admin as ``username``: ``(browser, page)``."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_page(viewport=WIDE)
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    return browser, page


@pytest.mark.django_db(transaction=True)
def test_an_operator_creates_uses_and_revokes_a_key_in_the_admin():
    from playwright.sync_api import sync_playwright  # pylint: disable=import-outside-toplevel

    get_user_model().objects.create_superuser("operator", "operator@example.com", "a-long-passphrase")
    # A browser on 127.0.0.1 is on the SITE_ID site, as the key will be.
    site = Site.objects.get(pk=settings.SITE_ID)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    with live_server() as url, sync_playwright() as playwright:
        browser, page = logged_in(playwright, url, "operator")
        page.screenshot(path=SCREENSHOTS / "1-logged-in.png", full_page=True)

        page.goto(f"{url}/admin/tahoe_registration_plugin/apikey/add/")
        page.screenshot(path=SCREENSHOTS / "2-key-add-form.png", full_page=True)
        page.select_option("#id_site", str(site.pk))
        page.fill("#id_name", "Acme CRM")
        page.click("input[name=_save]")
        secret = page.inner_text("#api-key-secret").strip()
        page.screenshot(path=SCREENSHOTS / "3-key-created.png", full_page=True)
        resize(page, PHONE)
        created_on_phone = page.evaluate(OVERFLOW)
        page.screenshot(path=SCREENSHOTS / f"3-key-created-{PHONE['width']}.png", full_page=True)
        resize(page, WIDE)

        page.goto(f"{url}/admin/tahoe_registration_plugin/apikey/")
        listing = page.content()
        page.screenshot(path=SCREENSHOTS / "4-key-list.png", full_page=True)
        page.click(f"text={secret.split('.')[0]}")
        detail = page.content()
        page.screenshot(path=SCREENSHOTS / "5-key-page.png", full_page=True)
        rotate, history = (page.eval_on_selector(selector, LOOK) for selector in ("#rotate-key", "a.historylink"))
        # Hovered, once the admin's colour transition (0.15 s) has ended.
        page.hover("#rotate-key")
        page.wait_for_timeout(500)
        rotate_hovered = page.eval_on_selector("#rotate-key", LOOK)
        page.hover("a.historylink")
        page.wait_for_timeout(500)
        history_hovered = page.eval_on_selector("a.historylink", LOOK)

        created = register(url, secret)

        page.goto(f"{url}/admin/tahoe_registration_plugin/apikey/")
        page.check("input.action-select")
        page.select_option("select[name=action]", "revoke_keys")
        page.click("button[name=index]")
        page.wait_for_selector("text=Revoked 1 API key(s).")
        page.screenshot(path=SCREENSHOTS / "6-key-revoked.png", full_page=True)

        refused = register(url, secret)
        browser.close()

    assert "Acme CRM" in listing
    assert secret.split(".")[0] in listing
    assert secret not in listing and secret not in detail
    # On a phone, the secret wraps rather than widen the page.
    assert created_on_phone["page"] <= 0 and not created_on_phone["beyond"], created_on_phone
    # The Rotate button is one of the object-tools: drawn as the History link beside it, hovered too.
    assert rotate == history
    assert rotate_hovered == history_hovered
    assert rotate_hovered["background-color"] != rotate["background-color"]
    assert created[0] == 200, created
    assert refused == (401, {"user_message": "This API key has been revoked."})


@pytest.mark.django_db(transaction=True)
def test_a_site_administrator_sees_their_sites_keys_only_and_a_refresh_creates_nothing():
    from django.contrib.auth.models import Permission  # pylint: disable=import-outside-toplevel
    from playwright.sync_api import sync_playwright  # pylint: disable=import-outside-toplevel

    from tahoe_registration_plugin.models import ApiKey, SiteAdministrator  # pylint: disable=import-outside-toplevel
    from tests.factories import ApiKeyFactory, SiteFactory  # pylint: disable=import-outside-toplevel

    site = Site.objects.get(pk=settings.SITE_ID)
    elsewhere = SiteFactory(domain="elsewhere.example.com")
    theirs = ApiKeyFactory(site=elsewhere, name="Another customer's CRM")
    admin = get_user_model().objects.create_user(
        "siteadmin", "siteadmin@example.com", "a-long-passphrase", is_staff=True,
    )
    admin.user_permissions.set(Permission.objects.filter(content_type__app_label="tahoe_registration_plugin"))
    SiteAdministrator.objects.create(user=admin, site=site)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    with live_server() as url, sync_playwright() as playwright:
        browser, page = logged_in(playwright, url, "siteadmin")

        page.goto(f"{url}/admin/tahoe_registration_plugin/apikey/add/")
        offered = page.eval_on_selector_all("#id_site option", "options => options.map(o => o.textContent)")
        page.select_option("#id_site", str(site.pk))
        page.fill("#id_name", "Our CRM")
        page.click("input[name=_save]")
        secret = page.inner_text("#api-key-secret").strip()
        page.screenshot(path=SCREENSHOTS / "7-site-admin-key-created.png", full_page=True)
        page.reload()
        after_refresh = page.content()
        page.screenshot(path=SCREENSHOTS / "8-site-admin-refresh.png", full_page=True)

        page.goto(f"{url}/admin/tahoe_registration_plugin/apikey/")
        listing = page.content()
        page.screenshot(path=SCREENSHOTS / "9-site-admin-keys.png", full_page=True)
        other_page = page.goto(f"{url}/admin/tahoe_registration_plugin/apikey/{theirs.pk}/change/")
        browser.close()

    assert [label.strip() for label in offered if label.strip() != "---------"] == [site.domain]
    assert secret and secret not in after_refresh and "was already shown once" in after_refresh
    assert ApiKey.objects.filter(site=site).count() == 1
    assert "Our CRM" in listing and theirs.name not in listing
    assert other_page.status == 404


def a_busy_admin():
    """
    What an operator of several customers' sites finds in the admin: long domains, keys named at
    length (one as a script names things, without a space), long emails and course ids, usernames
    as long as the LMS allows (30 characters), timestamps in every column; returns the operator's
    username.
    """
    # pylint: disable=import-outside-toplevel
    from tahoe_registration_plugin.models import ApiKey
    from tests.factories import (
        ApiKeyFactory,
        EnrollmentRecordFactory,
        RegistrationRecordFactory,
        SiteAdministratorFactory,
        SiteFactory,
        UserFactory,
    )

    operator = get_user_model().objects.create_superuser("operator", "operator@example.com", "a-long-passphrase")
    now = timezone.now()
    sites = [
        SiteFactory(domain="courses.northwind-continuing-education.example.com"),
        SiteFactory(domain="learn.contoso-professional-certificates.example.org"),
        Site.objects.get(pk=settings.SITE_ID),
    ]
    keys = [
        ApiKeyFactory(site=sites[0], name="Salesforce Marketing Cloud connector for continuing-education enrollments",
                      expires_at=now + datetime.timedelta(days=365)),
        ApiKeyFactory(site=sites[0], name="northwind-hubspot-crm-nightly-learner-sync-production-eu-west-1",
                      scopes=("register", "enroll")),
        ApiKeyFactory(site=sites[1], name="Workday HR onboarding (Contoso People Operations, EMEA and APAC)"),
        ApiKeyFactory(site=sites[1], name="Contoso learning portal", scopes=("read",)),
        ApiKeyFactory(site=sites[2], name="Acme CRM", expires_at=now + datetime.timedelta(days=30)),
    ]
    # Used, and one revoked: what only the API sets.
    ApiKey.objects.filter(pk__in=[keys[0].pk, keys[1].pk]).update(last_used_at=now)
    ApiKey.objects.filter(pk=keys[2].pk).update(last_used_at=now - datetime.timedelta(days=3), revoked_at=now)
    learners = [UserFactory(username=username, email=email) for username, email in [
        ("alexandra_konstantinopoulou",
         "alexandra.konstantinopoulou-vanderbilt@continuing-education.northwind-university.example.com"),
        ("jb.delafontaine-marchand",
         "jean-baptiste.delafontaine-marchand@people-operations.contoso-corporation.example.org"),
        ("li.wei", "li.wei@example.com"),
    ]]
    for number, learner in enumerate(learners):
        RegistrationRecordFactory(site=keys[number].site, api_key=keys[number], user=learner,
                                  api_version="v1" if number else "v2")
    courses = ["course-v1:NorthwindContinuingEducationX+DataScienceFoundations101+2026_T1",
               "course-v1:ContosoPeopleOperations+WorkplaceSafetyAndComplianceRefresher+2026"]
    for number, (learner, course_id) in enumerate(itertools.product(learners, courses)):
        EnrollmentRecordFactory(site=keys[number % 3].site, api_key=keys[number % 3], learner=learner.email,
                                course_id=course_id, action="unenroll" if number == 3 else "enroll",
                                status=("already_enrolled", "enrolled", "pre_enrolled")[number % 3],
                                mode="verified" if number % 2 else "audit")
    for site, username in zip(sites, ["northwind-registrar-emea", "contoso.certificates.admin", "jane"]):
        SiteAdministratorFactory(site=site, granted_by=operator, user__username=username)
    return operator.username


@pytest.mark.django_db(transaction=True)
def test_every_list_page_fits_a_desktop_and_works_on_a_phone():
    from playwright.sync_api import sync_playwright  # pylint: disable=import-outside-toplevel

    operator = a_busy_admin()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    on_desktop, on_phone, first_rows = {}, {}, {}

    with live_server() as url, sync_playwright() as playwright:
        browser, page = logged_in(playwright, url, operator)
        for name, model in LIST_PAGES.items():
            resize(page, DESKTOP)
            page.goto(f"{url}/admin/tahoe_registration_plugin/{model}/")
            on_desktop[name] = page.evaluate(OVERFLOW)
            page.screenshot(path=SCREENSHOTS / f"{name}-list-{DESKTOP['width']}.png", full_page=True)

            resize(page, PHONE)
            page.goto(f"{url}/admin/tahoe_registration_plugin/{model}/")
            on_phone[name] = page.evaluate(OVERFLOW)
            page.screenshot(path=SCREENSHOTS / f"{name}-list-{PHONE['width']}.png", full_page=True)
            first_link = page.locator("#result_list tbody tr:first-child th a")
            first_link.scroll_into_view_if_needed()
            box = first_link.bounding_box()
            first_link.click()
            page.wait_for_url("**/change/")
            first_rows[name] = (box, page.url, page.evaluate(OVERFLOW))
            page.screenshot(path=SCREENSHOTS / f"{name}-first-row-{PHONE['width']}.png", full_page=True)
        browser.close()

    # On a desktop, every column shows whole: nothing to scroll sideways, in the page or the table.
    overflowing = {name: measured for name, measured in on_desktop.items()
                   if measured["page"] > 0 or measured["results"] > 0 or measured["beyond"]}
    assert not overflowing, json.dumps(overflowing, indent=1)
    # On a phone, the admin stacks the page in one column and lets the results table scroll sideways
    # in its own box, as it does for every model: the page itself must not, nothing but the table
    # may reach past the screen, and the first row's link, which opens the object, must be on it.
    overflowing = {name: measured for name, measured in on_phone.items()
                   if measured["page"] > 0 or any(not element["inResults"] for element in measured["beyond"])}
    assert not overflowing, json.dumps(overflowing, indent=1)
    for name, (box, opened, overflow) in first_rows.items():
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (name, box)
        assert opened.startswith(f"{url}/admin/tahoe_registration_plugin/{LIST_PAGES[name]}/"), (name, opened)
        # The object's page it opens fits the phone too: a long title or value wraps.
        assert overflow["page"] <= 0 and not overflow["beyond"], (name, overflow)
