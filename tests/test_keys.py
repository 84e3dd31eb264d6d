"""Key secrets: random, distinct, and made again only from their seed."""
import pytest

from tahoe_registration_plugin import keys
from tests.factories import ApiKeyFactory


def test_keys_are_random_and_distinct(site):
    secrets = {ApiKeyFactory(site=site).secret for _ in range(20)}

    assert len(secrets) == 20


def test_a_seed_makes_the_same_key_again_and_only_with_the_same_secret_key(settings):
    seed = keys.new_seed()
    key, prefix = keys.key_from_seed(seed)

    assert keys.key_from_seed(seed) == (key, prefix)
    assert key.startswith(f"{prefix}.") and len(prefix) == keys.PREFIX_LENGTH
    assert seed not in key
    settings.SECRET_KEY = "another-projects-secret-key"
    assert keys.key_from_seed(seed)[0] != key


def test_seeds_are_random():
    assert len({keys.new_seed() for _ in range(20)}) == 20


@pytest.mark.parametrize("token, legacy", [
    ("0123456789abcdef0123456789abcdef01234567", True),
    ("0123456789ABCDEF0123456789ABCDEF01234567", False),  # Tahoe's tokens were lowercase
    ("0123456789abcdef0123456789abcdef0123456", False),
    ("0123456789abcdef0123456789abcdef01234567\n", False),
])
def test_a_legacy_token_is_exactly_40_lowercase_hex_characters(token, legacy):
    assert keys.is_legacy_token(token) is legacy


def test_the_stored_form_is_the_sha256_of_the_whole_key():
    # SHA-256("abc"), FIPS 180-2's first test vector.
    assert keys.hash_key("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
