"""The receipt verification code (收据防伪二维码): a signed summary of a receipt that the county can check.

Every printed receipt carries a QR code whose text is a short, canonical summary of the receipt followed by an
HMAC-SHA256 signature over that summary, made with a secret key of the village database (收据签名密钥). Whoever
holds the key — the county social insurance agency (县社保局) once the key reaches it through device enrolment
(sync-protocol.md §2) — can tell a genuine receipt from a forged or altered one without looking anything up:
:func:`verify_receipt_qr` recomputes the signature and compares the signed values with what is printed.

The text uses only the characters of the QR *alphanumeric* mode (``0-9 A-Z $%*+-./:``) so the code stays small
(version 5, 37×37 modules, for a typical receipt) and prints crisply in a 22 mm square::

    PD1:7F3A09C2:411099101201:HQ2026:123:20261123:2026:30000:30000:3000:411099********1768:<signature>

fields, in order: format (``PD1``), key id (first 8 hex digits of SHA-256 of the key, so the county knows which
village key to use), village code, receipt series (字轨), receipt number, issue date (YYYYMMDD), contribution
year (缴费年度), tier (档次), amount paid (实收, the amount on the receipt), government subsidy (缴费补贴
合计), all in fen, and the ID number masked as on the customer copy (first 6 + last 4). The signature is the
first 16 bytes (128 bits, the truncation RFC 2104 §5 allows) of HMAC-SHA256(key, text before the last colon),
in RFC 4648 base32 without padding.

Pure functions, no I/O: the key itself lives in the database (``services.receipts.receipt_signing_key``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date

__all__ = [
    "FORMAT",
    "QR_ALPHANUMERIC",
    "ReceiptSummary",
    "ReceiptVerification",
    "key_id_of",
    "sign_receipt",
    "verify_receipt_qr",
]

#: Format tag of the signed text; a new layout of the fields gets a new tag.
FORMAT = "PD1"
#: The characters the QR alphanumeric mode can encode.
QR_ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
_SIGNATURE_BYTES = 16
_FIELD_COUNT = 12
_SERIES = re.compile(r"[A-Z0-9][A-Z0-9-]{0,31}")
_MASKED_ID = re.compile(r"[0-9X*]{15,18}")
_DIGITS = re.compile(r"[0-9]{1,12}")


def key_id_of(key: bytes) -> str:
    """The public name of a signing key: the first 8 hex digits (upper case) of its SHA-256."""
    return hashlib.sha256(key).hexdigest()[:8].upper()


@dataclass(frozen=True)
class ReceiptSummary:
    """What the verification code vouches for; amounts are fen."""

    key_id: str
    village_code: str
    series: str
    number: int
    day: date
    year: int
    tier_fen: int
    amount_fen: int
    subsidy_fen: int
    id_masked: str

    def signed_text(self) -> str:
        """The canonical text the signature covers (everything before the signature)."""
        fields = (
            FORMAT,
            self.key_id,
            self.village_code,
            self.series,
            str(self.number),
            f"{self.day:%Y%m%d}",
            str(self.year),
            str(self.tier_fen),
            str(self.amount_fen),
            str(self.subsidy_fen),
            self.id_masked,
        )
        text = ":".join(fields)
        bad = sorted(set(text) - QR_ALPHANUMERIC)
        if bad or any(":" in value for value in fields):
            raise ValueError(f"receipt summary holds characters the code cannot carry: {bad!r}")
        return text


@dataclass(frozen=True)
class ReceiptVerification:
    """The answer of :func:`verify_receipt_qr`: ``valid`` with the signed ``summary``, or the ``reason`` why not."""

    valid: bool
    summary: ReceiptSummary | None
    reason: str = ""


def _signature(key: bytes, text: str) -> str:
    digest = hmac.new(key, text.encode("ascii"), hashlib.sha256).digest()[:_SIGNATURE_BYTES]
    return base64.b32encode(digest).decode("ascii").rstrip("=")


def sign_receipt(summary: ReceiptSummary, key: bytes) -> str:
    """The QR text of a receipt: the summary and its signature. ``summary.key_id`` must name ``key``."""
    if summary.key_id != key_id_of(key):
        raise ValueError("the summary names another signing key")
    text = summary.signed_text()
    return f"{text}:{_signature(key, text)}"


def _parse(payload: str) -> ReceiptSummary | str:
    """The summary in ``payload``, or a Chinese reason why it is not a receipt code."""
    fields = payload.strip().split(":")
    if len(fields) != _FIELD_COUNT or fields[0] != FORMAT:
        return "这不是城乡居保收据的防伪码"
    _, key_id, village, series, number, day, year, tier, amount, subsidy, masked, _sig = fields
    if not (
        re.fullmatch(r"[0-9A-F]{8}", key_id)
        and _DIGITS.fullmatch(village)
        and _SERIES.fullmatch(series)
        and all(_DIGITS.fullmatch(value) for value in (number, year, tier, amount, subsidy))
        and re.fullmatch(r"[0-9]{8}", day)
        and _MASKED_ID.fullmatch(masked)
    ):
        return "防伪码的内容格式不对，可能被改动过"
    try:
        issued = date(int(day[:4]), int(day[4:6]), int(day[6:]))
    except ValueError:
        return "防伪码中的开票日期无效"
    return ReceiptSummary(
        key_id=key_id,
        village_code=village,
        series=series,
        number=int(number),
        day=issued,
        year=int(year),
        tier_fen=int(tier),
        amount_fen=int(amount),
        subsidy_fen=int(subsidy),
        id_masked=masked,
    )


def verify_receipt_qr(payload: str, key: bytes) -> ReceiptVerification:
    """Check a scanned receipt code against the village's signing ``key``.

    Valid only when the text is well formed, names this key and its signature matches (compared in constant
    time). The county compares the returned summary with the receipt in hand: a genuine code on a receipt whose
    printed amount differs is an altered receipt.
    """
    parsed = _parse(payload)
    if isinstance(parsed, str):
        return ReceiptVerification(False, None, parsed)
    if parsed.key_id != key_id_of(key):
        return ReceiptVerification(False, parsed, f"此收据由另一把密钥（{parsed.key_id}）签名，不是用这把密钥开具的")
    text, _, signature = payload.strip().rpartition(":")
    if text != parsed.signed_text() or not hmac.compare_digest(signature, _signature(key, text)):
        return ReceiptVerification(False, parsed, "签名不符：收据内容被改动过，或不是本村开具的收据")
    return ReceiptVerification(True, parsed)
