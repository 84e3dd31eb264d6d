"""
API key secrets: how they are made, recognised and hashed.

A key is ``<prefix>.<secret>``: an 8-character hex prefix, shown in the admin so people can tell
keys apart, and 256 random bits. Only the SHA-256 of the whole key is stored. A slow password hash
is not needed: the key is random and long, so its hash cannot be reversed by guessing, and one
fast hash keeps lookup a single indexed query.
"""
import base64
import hashlib
import re
import secrets

from django.utils.crypto import salted_hmac

PREFIX_LENGTH = 8
LEGACY_TOKEN_PATTERN = re.compile(r"[0-9a-f]{40}")
SEED_SALT = "tahoe_registration_plugin.keys.key_from_seed"


def new_seed():
    """256 random bits from which one key is made (``key_from_seed``)."""
    return secrets.token_urlsafe(32)


def key_from_seed(seed):
    """
    The key and its visible prefix that ``seed`` makes, with the project's ``SECRET_KEY``.

    The admin keeps a new key's seed in the creator's session until the key has been shown once:
    the seed alone (a session store that leaks, say) does not give the key.
    """
    digest = salted_hmac(SEED_SALT, seed, algorithm="sha256").digest()
    prefix = digest[:PREFIX_LENGTH // 2].hex()
    secret = base64.urlsafe_b64encode(salted_hmac(SEED_SALT, f"secret:{seed}", algorithm="sha256").digest())
    return f"{prefix}.{secret.decode('ascii').rstrip('=')}", prefix


def hash_key(key):
    """The stored form of a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def prefix_of(key):
    """The visible prefix of a key (also of a legacy 40-hex token)."""
    return key[:PREFIX_LENGTH]


def is_legacy_token(value):
    """A Tahoe-era DRF token: 40 lowercase hex characters."""
    return bool(LEGACY_TOKEN_PATTERN.fullmatch(value))
