"""
API key secrets: how they are made, recognised and hashed.

A key is ``<prefix>.<secret>``: an 8-character hex prefix, shown in the admin so people can tell
keys apart, and 256 random bits. Only the SHA-256 of the whole key is stored. A slow password hash
is not needed: the key is random and long, so its hash cannot be reversed by guessing, and one
fast hash keeps lookup a single indexed query.
"""
import hashlib
import re
import secrets

PREFIX_LENGTH = 8
LEGACY_TOKEN_PATTERN = re.compile(r"[0-9a-f]{40}")


def generate_key():
    """A new key and its visible prefix."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    return f"{prefix}.{secrets.token_urlsafe(32)}", prefix


def hash_key(key):
    """The stored form of a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def prefix_of(key):
    """The visible prefix of a key (also of a legacy 40-hex token)."""
    return key[:PREFIX_LENGTH]


def is_legacy_token(value):
    """A Tahoe-era DRF token: 40 lowercase hex characters."""
    return bool(LEGACY_TOKEN_PATTERN.fullmatch(value))
