"""The QR encoder (二维码): module for module what segno makes for the same version and mask, and readable by ZBar."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from pensiondesk.documents.qr import _ALPHANUMERIC, MASK, draw_qr, encode_qr

ALNUM = _ALPHANUMERIC
RECEIPT_CODE = (
    "PD1:7F3A09C2:411099101201:HQ2026:123:20261123:2026:30000:30000:3000:411099********1768:ABCDEFGHIJKLMNOPQRSTUVWXYZ"
)


def _payloads() -> list[str]:
    rng = random.Random(20261123)
    texts = [RECEIPT_CODE, "HELLO WORLD", "0123456789", "https://example.org/?q=城乡居保"]
    texts += ["".join(rng.choice(ALNUM) for _ in range(rng.randint(1, 300))) for _ in range(60)]
    texts += ["".join(rng.choice("abcxyz{}!?0123") for _ in range(rng.randint(1, 200))) for _ in range(30)]
    return texts


def _byte_aligned_after_terminator(text: str, version: int) -> bool:
    from pensiondesk.documents.qr import _data_codewords, _segment

    bits = _segment(text, version)
    capacity = _data_codewords(version) * 8
    return (bits.length + min(4, capacity - bits.length)) % 8 == 0


def test_same_modules_as_segno() -> None:
    segno = pytest.importorskip("segno")
    checked = set()
    for text in _payloads():
        if not text.isascii():
            continue  # segno may pick ECI/Kanji for non-ASCII; ZBar checks those below
        code = encode_qr(text)
        # segno writes 8 extra zero bits when the data ends on a byte boundary after the terminator (its
        # write_padding_bits pads a full byte); the standard adds none. Both are valid; compare the others.
        if _byte_aligned_after_terminator(text, code.version):
            continue
        mode = "alphanumeric" if all(c in ALNUM for c in text) else "byte"
        expected = segno.make(text, version=code.version, error="m", mask=MASK, mode=mode, boost_error=False)
        assert tuple(bytes(row) for row in expected.matrix) == code.modules, (text, code.version)
        checked.add(code.version)
    assert checked >= set(range(1, 11))  # every supported version compared


def test_receipt_code_is_small() -> None:
    code = encode_qr(RECEIPT_CODE)
    assert code.version == 5 and code.size == 37  # 113 alphanumeric characters, level M


def test_too_long() -> None:
    with pytest.raises(ValueError):
        encode_qr("A" * 400)


@pytest.mark.skipif(shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None, reason="needs zbarimg")
def test_zbar_reads_every_version(tmp_path: Path) -> None:
    texts = [t for t in _payloads() if len(t) > 0][:40]
    pdf = tmp_path / "codes.pdf"
    canvas = Canvas(str(pdf))
    for text in texts:
        code = encode_qr(text)
        draw_qr(canvas, code, 20 * mm, 100 * mm, (code.size + 8) * 0.9 * mm)  # 0.9 mm modules
        canvas.showPage()
    canvas.save()
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1]))
    for text, page in zip(texts, pages, strict=True):
        scanned = subprocess.run(["zbarimg", "-q", "--raw", str(page)], capture_output=True, check=False).stdout
        assert scanned.decode("utf-8").rstrip("\n") == text, (text, encode_qr(text).version)
