"""Encrypting USB sync files (U盘同步文件加密): AES-256-GCM under a key only the laptop and the county can derive.

A lost stick must not give away ID numbers. Both sides already hold what they need since enrolment: the laptop its
Ed25519 private key and the county's public key, the county its own private key and the laptop's public key (the
keys that sign the files). Each Ed25519 key is mapped to its X25519 twin (the birational map Ed25519 → Curve25519
that libsodium's ``crypto_sign_ed25519_*_to_curve25519``, age and minisign use), an X25519 Diffie–Hellman gives the
same shared secret on both sides, and HKDF-SHA256 (salted with the device ID, one key per direction) turns it into
the file key. So no new secret is exchanged, enrolment does not change, and laptops enrolled before this feature
encrypt too. A file for another device, or read with another device's key, fails the GCM tag: nothing is read.

The signed document (``pensiondesk-batch/1`` / ``pensiondesk-ack/1``) is what is encrypted; the envelope shows only
the format, the device ID (to pick the key) and the file's sequence number, which are authenticated as associated
data.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from pensiondesk.sync.protocol import canonical_json

#: Field 2^255 − 19 of Curve25519 / Ed25519.
_P = 2**255 - 19
TO_COUNTY = "laptop->county"
TO_LAPTOP = "county->laptop"


class FileDecryptError(Exception):
    """The file cannot be decrypted with this key (another device's file, or changed)."""


def x25519_private(ed25519_seed_b64: str) -> X25519PrivateKey:
    """The X25519 private key twin of an Ed25519 seed: the clamped first half of SHA-512(seed) (RFC 8032 §5.1.5)."""
    digest = hashlib.sha512(base64.b64decode(ed25519_seed_b64)).digest()
    return X25519PrivateKey.from_private_bytes(digest[:32])  # X25519 clamps the scalar itself


def x25519_public(ed25519_public_b64: str) -> X25519PublicKey:
    """The X25519 public key twin of an Ed25519 public key: u = (1 + y) / (1 − y) mod p."""
    raw = base64.b64decode(ed25519_public_b64, validate=True)
    if len(raw) != 32:
        raise ValueError("not an Ed25519 public key")
    y = int.from_bytes(raw, "little") & ((1 << 255) - 1)
    if y >= _P or y == 1:
        raise ValueError("not an Ed25519 public key")
    u = (1 + y) * pow(1 - y, _P - 2, _P) % _P
    return X25519PublicKey.from_public_bytes(u.to_bytes(32, "little"))


def file_key(own_private_b64: str, other_public_b64: str, device_id: str, direction: str) -> bytes:
    """The 256-bit AES key of one direction of one device's files."""
    shared = x25519_private(own_private_b64).exchange(x25519_public(other_public_b64))
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=device_id.encode("utf-8"),
        info=f"pensiondesk usb file v2 {direction}".encode(),
    )
    return hkdf.derive(shared)


def _header(fmt: str, device_id: str, file_seq: int) -> dict[str, Any]:
    return {"format": fmt, "device_id": device_id, "file_seq": file_seq, "cipher": "AES-256-GCM"}


def seal(document: dict[str, Any], key: bytes, fmt: str, device_id: str, file_seq: int) -> dict[str, Any]:
    """The encrypted envelope of ``document`` (the signed transfer document)."""
    header = _header(fmt, device_id, file_seq)
    nonce = secrets.token_bytes(12)
    plain = json.dumps(document, ensure_ascii=False).encode("utf-8")
    sealed = AESGCM(key).encrypt(nonce, plain, canonical_json(header).encode("utf-8"))
    return {
        **header,
        "nonce": base64.b64encode(nonce).decode("ascii"),
        "ciphertext": base64.b64encode(sealed).decode("ascii"),
    }


def is_sealed(envelope: dict[str, Any]) -> bool:
    """Whether a parsed transfer file is an encrypted envelope (else an old plain file)."""
    return "ciphertext" in envelope


def open_sealed(envelope: dict[str, Any], key: bytes) -> dict[str, Any]:
    """The document inside an envelope; raises :class:`FileDecryptError` when the key or the bytes are wrong."""
    try:
        header = _header(str(envelope["format"]), str(envelope["device_id"]), int(envelope["file_seq"]))
        nonce = base64.b64decode(str(envelope["nonce"]), validate=True)
        sealed = base64.b64decode(str(envelope["ciphertext"]), validate=True)
        plain = AESGCM(key).decrypt(nonce, sealed, canonical_json(header).encode("utf-8"))
        document = json.loads(plain.decode("utf-8"))
    except (InvalidTag, KeyError, TypeError, ValueError) as exc:
        raise FileDecryptError(str(exc) or type(exc).__name__) from exc
    if not isinstance(document, dict):
        raise FileDecryptError("not a document")
    return document
