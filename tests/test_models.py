"""
The models: keys kept as hashes, found with one query, revoked and rotated; records that hold
identities only as digests; Idempotency-Keys compared exactly; who administers which site.
"""
import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from tahoe_registration_plugin import keys
from tahoe_registration_plugin.data import Enrollment, IdempotencyKey, NewAccount
from tahoe_registration_plugin.models import (
    ApiKey,
    IdempotencyRecord,
    RegistrationRecord,
    SiteAdministrator,
    administered_site_ids,
)
from tests.factories import ApiKeyFactory, UserFactory


def test_the_database_holds_no_usable_key(api_key):
    row = ApiKey.objects.filter(pk=api_key.pk).values().get()

    assert api_key.secret not in repr(row)
    assert row["key_hash"] == keys.hash_key(api_key.secret)
    assert row["prefix"] == api_key.secret[:8]
    assert len(api_key.secret.split(".", 1)[1]) >= 40  # 256 random bits, base64url


def test_lookup_is_one_indexed_query_whatever_the_number_of_keys(site):
    wanted = ApiKeyFactory(site=site)
    ApiKeyFactory.create_batch(50, site=site)

    with CaptureQueriesContext(connection) as queries:
        found = ApiKey.objects.get_by_secret(wanted.secret)

    assert found == wanted
    assert len(queries) == 1
    assert ApiKey._meta.get_field("key_hash").unique  # the index the query uses


def test_revoking_a_key_or_a_selection_stamps_each_once(site):
    one, two, three = ApiKeyFactory.create_batch(3, site=site)
    one.revoke()
    stamped = ApiKey.objects.get(pk=one.pk).revoked_at

    assert ApiKey.objects.filter(pk__in=[one.pk, two.pk]).revoke() == 1
    assert ApiKey.objects.get(pk=one.pk).revoked_at == stamped
    assert ApiKey.objects.get(pk=two.pk).is_revoked
    assert not ApiKey.objects.get(pk=three.pk).is_revoked
    one.revoke()
    assert ApiKey.objects.get(pk=one.pk).revoked_at == stamped


def test_a_key_matches_its_own_secret_only(site):
    api_key, other = ApiKeyFactory.create_batch(2, site=site)

    assert api_key.matches(api_key.secret)
    assert not api_key.matches(other.secret)


def test_rotating_makes_a_replacement_and_shortens_the_old_keys_life_only(site):
    later = timezone.now() + datetime.timedelta(days=30)
    sooner = timezone.now() + datetime.timedelta(days=1)
    long_lived = ApiKeyFactory(site=site, name="CRM", expires_at=later)
    short_lived = ApiKeyFactory(site=site, name="Shop", expires_at=sooner)

    replacement, secret = long_lived.rotate(grace=datetime.timedelta(days=7))
    short_lived.rotate(grace=datetime.timedelta(days=7))

    assert ApiKey.objects.get_by_secret(secret) == replacement
    assert (replacement.site, replacement.name, replacement.expires_at) == (site, "CRM", None)
    assert timezone.now() + datetime.timedelta(days=6) < long_lived.expires_at < later
    assert ApiKey.objects.get(pk=short_lived.pk).expires_at == sooner


def test_registration_records_find_identities_whatever_the_case(api_key):
    user = UserFactory()
    account = NewAccount(username="Alex", email="Alex@Example.com", name="Alex")
    RegistrationRecord.objects.record(
        site=api_key.site, user=user, api_key=api_key, api_version="v2", account=account,
        enrollments=(Enrollment(CourseKey.from_string("course-v1:LocalX+Demo+2026"), "audit"),),
    )

    assert RegistrationRecord.objects.identity_conflicts(
        NewAccount(username="ALEX", email="other@example.com", name="A")
    ) == {"username"}
    assert RegistrationRecord.objects.identity_conflicts(
        NewAccount(username="other", email="alex@example.COM", name="A")
    ) == {"email"}
    assert RegistrationRecord.objects.enrollments_of(user.pk) == (
        Enrollment(CourseKey.from_string("course-v1:LocalX+Demo+2026"), "audit"),
    )
    row = RegistrationRecord.objects.values().get()
    assert "alex" not in repr(row).lower()


def test_an_idempotency_record_is_found_by_its_exact_key_until_it_expires(api_key):
    user = UserFactory()
    key = IdempotencyKey("Order 17", body="body")
    IdempotencyRecord.objects.record(api_key=api_key, idempotency_key=key, user=user)

    assert IdempotencyRecord.objects.current(api_key, "Order 17").user == user
    assert IdempotencyRecord.objects.current(api_key, "order 17") is None
    assert IdempotencyRecord.objects.current(api_key, "Order 17 ") is None
    IdempotencyRecord.objects.update(created=timezone.now() - IdempotencyKey.REPLAY_WINDOW)
    assert IdempotencyRecord.objects.current(api_key, "Order 17") is None
    assert not IdempotencyRecord.objects.exists()


def test_superusers_administer_every_site_and_others_their_grants(other_site):
    superuser = UserFactory(is_superuser=True)
    administrator = UserFactory()
    SiteAdministrator.objects.create(user=administrator, site=other_site)

    assert administered_site_ids(superuser) is None
    assert administered_site_ids(administrator) == {other_site.pk}
    assert administered_site_ids(UserFactory()) == set()


@pytest.mark.parametrize("change", [
    lambda api_key: api_key.revoke(),
    lambda api_key: ApiKey.objects.filter(pk=api_key.pk).revoke(),
    lambda api_key: ApiKey.objects.filter(pk=api_key.pk).update(expires_at=timezone.now()),
    lambda api_key: api_key.rotate(grace=datetime.timedelta(0)),
    lambda api_key: api_key.site.delete(),
], ids=["revoke", "revoke a selection", "expire", "rotate", "delete its site"])
def test_a_change_to_a_cached_key_is_seen_by_the_next_authentication(api_key, change):
    ApiKey.objects.get_for_authentication(api_key.secret)

    change(ApiKey.objects.get(pk=api_key.pk))

    found = ApiKey.objects.get_for_authentication(api_key.secret)
    assert found is None or found.is_revoked or found.is_expired


def test_keys_never_come_from_the_shared_cache(api_key):
    made_up = "deadbeef.not-a-key-anyone-was-given"
    fields = ApiKey.objects.filter(pk=api_key.pk).values().get()
    # Entries planted in the shared cache, as the plugin's earlier releases wrote them there.
    for secret in (made_up, api_key.secret):
        cache.set(f"tahoe_registration:api_key:{keys.hash_key(secret)}", {**fields, "revoked_at": None}, 300)
    ApiKey.objects.filter(pk=api_key.pk).revoke()

    assert ApiKey.objects.get_for_authentication(made_up) is None
    assert ApiKey.objects.get_for_authentication(api_key.secret).is_revoked


def test_without_the_shared_cache_keys_are_still_found(api_key):
    with mock.patch.object(cache, "get", side_effect=ConnectionError("down")), \
         mock.patch.object(cache, "get_many", side_effect=ConnectionError("down")), \
         mock.patch.object(cache, "add", side_effect=ConnectionError("down")):
        assert ApiKey.objects.get_for_authentication(api_key.secret) == api_key
