"""Who administers which site is granted and seen by superusers only."""

from django.contrib.auth import get_user_model


def test_the_grants_are_for_superusers_only(site_admin, client, site):
    assert site_admin.get("/admin/tahoe_registration_plugin/siteadministrator/").status_code == 403
    superuser = get_user_model().objects.create_superuser("boss", "boss@example.com", "a-long-passphrase")
    client.force_login(superuser)
    page = client.get("/admin/tahoe_registration_plugin/siteadministrator/")
    assert [str(grant) for grant in page.context["cl"].result_list] == [f"sitey administers {site.domain}"]
