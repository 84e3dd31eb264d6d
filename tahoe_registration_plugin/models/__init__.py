"""The plugin's models: API keys, the registrations and enrollments they made, and who administers them."""
from tahoe_registration_plugin.models.api_keys import ApiKey
from tahoe_registration_plugin.models.enrollment_records import EnrollmentRecord
from tahoe_registration_plugin.models.idempotency_records import IdempotencyRecord, idempotency_key_digest, same_body
from tahoe_registration_plugin.models.registration_records import RegistrationRecord, identity_digest
from tahoe_registration_plugin.models.site_administrators import SiteAdministrator, administered_site_ids

__all__ = [
    "ApiKey", "EnrollmentRecord", "IdempotencyRecord", "RegistrationRecord", "SiteAdministrator",
    "administered_site_ids", "identity_digest", "idempotency_key_digest", "same_body",
]
