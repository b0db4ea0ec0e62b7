"""Ed25519 signatures for offline batch and acknowledgement files (离线传输文件签名).

The laptop makes a key pair when it enrols and gives the county its public key; the county signs acknowledgements
with its own key, whose public half the laptop receives at enrolment. Neither side stores a secret the other could
reuse (the county keeps device tokens only as hashes, so it could not check an HMAC made with one). Keys travel as
base64 of the raw 32 bytes. Uses the ``cryptography`` package.
"""

from __future__ import annotations

import base64
import secrets

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def new_private_key() -> str:
    """A new Ed25519 private key (its 32-byte seed, base64)."""
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def public_key(private_key: str) -> str:
    """The base64 public key of a base64 private key."""
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(private_key))
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")


def sign(private_key: str, data: bytes) -> str:
    """Base64 signature of ``data``."""
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(private_key))
    return base64.b64encode(key.sign(data)).decode("ascii")


def verify(public_key_b64: str, data: bytes, signature: str) -> bool:
    """Whether ``signature`` is a valid signature of ``data`` by ``public_key_b64`` (never raises)."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64, validate=True))
        key.verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
