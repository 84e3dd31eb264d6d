"""
The LMS admin pages for API keys, the accounts they created, and who administers which site.

Superusers see every site. A site administrator (``SiteAdministrator``, granted by a superuser;
with staff status and the app's permissions) sees, creates, rotates and revokes only their sites'
keys and sees only their sites' records; another site's object is a 404. See docs/decisions/0009.
"""
# Each module registers its model's admin.
from tahoe_registration_plugin.admin import (  # noqa: F401
    api_keys,
    enrollment_records,
    registration_records,
    site_administrators,
)
