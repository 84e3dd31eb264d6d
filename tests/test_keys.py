"""Key secrets: each seed makes its own key, made again only from that seed and SECRET_KEY; stored as a hash."""
import re

import pytest

from tahoe_registration_plugin import keys
from tests.factories import ApiKeyFactory

KEY_SHAPE = re.compile(r"[0-9a-f]{8}\.[A-Za-z0-9_-]{43}")  # the prefix, and 256 bits in unpadded base64url


def test_the_keys_a_site_is_given_are_distinct_and_shaped_as_documented(site):
    api_keys = [ApiKeyFactory(site=site) for _ in range(20)]

    assert len({api_key.secret for api_key in api_keys}) == 20
    for api_key in api_keys:
        assert KEY_SHAPE.fullmatch(api_key.secret), api_key.secret
        assert api_key.prefix == keys.prefix_of(api_key.secret)


def test_a_seed_makes_the_same_key_again_and_only_with_the_same_secret_key(settings):
    seed = keys.new_seed()
    key, prefix = keys.key_from_seed(seed)

    assert keys.key_from_seed(seed) == (key, prefix)
    assert KEY_SHAPE.fullmatch(key)
    assert key.startswith(f"{prefix}.") and len(prefix) == keys.PREFIX_LENGTH
    assert seed not in key
    settings.SECRET_KEY = "another-projects-secret-key"
    assert keys.key_from_seed(seed)[0] != key


def test_each_new_seed_makes_another_key():
    made = [keys.key_from_seed(keys.new_seed()) for _ in range(20)]

    assert len({key for key, _prefix in made}) == 20


@pytest.mark.parametrize("token, legacy", [
    ("0123456789abcdef0123456789abcdef01234567", True),
    ("0123456789ABCDEF0123456789ABCDEF01234567", False),  # Tahoe's tokens were lowercase
    ("0123456789abcdef0123456789abcdef0123456", False),
    ("0123456789abcdef0123456789abcdef01234567\n", False),
])
def test_a_legacy_token_is_exactly_40_lowercase_hex_characters(token, legacy):
    assert keys.is_legacy_token(token) is legacy


def test_a_keys_visible_prefix_is_its_first_characters_also_for_a_legacy_token():
    key, prefix = keys.key_from_seed(keys.new_seed())

    assert keys.prefix_of(key) == prefix
    assert keys.prefix_of("0123456789abcdef0123456789abcdef01234567") == "01234567"


def test_the_stored_form_hashes_the_whole_key_and_survives_a_new_secret_key(settings):
    key, prefix = keys.key_from_seed(keys.new_seed())
    stored = keys.hash_key(key)
    same_prefix_other_secret = f"{prefix}.{keys.key_from_seed(keys.new_seed())[0].split('.', 1)[1]}"

    assert re.fullmatch(r"[0-9a-f]{64}", stored)
    assert key.split(".", 1)[1] not in stored
    assert keys.hash_key(same_prefix_other_secret) != stored  # the secret counts, not the prefix alone
    assert keys.hash_key(key.split(".", 1)[1]) != stored  # nor the secret alone
    # Keys already given keep working after the project's SECRET_KEY is rotated.
    settings.SECRET_KEY = "another-projects-secret-key"
    assert keys.hash_key(key) == stored
