"""
An operator's day in a real browser (headless Chromium): log in to the admin, create a key, read
its secret shown once, see it is not shown again, use it, revoke it, see the API refuse it.

Needs Debian's ``chromium`` and the ``playwright`` package (``make test-browser`` installs them
with ``.ci/services install-browser``). Screenshots of each page visited go to ``var/screenshots/``.
"""
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

from tests.live import live_server

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
# As this machine's Chromium wants it: no sandbox as root, and no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
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


def logged_in(playwright, base_url, username, password="a-long-passphrase"):
    """A headless Chromium with a page logged in to the admin as ``username``: ``(browser, page)``."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 1600, "height": 900})
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
