"""A small, fast QR code encoder (二维码) for the receipt verification code, and drawing it on a canvas.

Why not a library: printing 500 receipts in one file must cost at most 1.5× drawing their text alone
(bench/bench_receipts.py). ReportLab's own encoder takes about 100 ms per code and segno 1.3–14 ms (most of it
choosing the mask), which alone would exceed that budget. A receipt code is always short, so this encoder
supports exactly what it needs — error correction level M (15 % of the code may be damaged), versions 1–10
(up to 311 alphanumeric characters), alphanumeric and byte mode — and precomputes everything that depends only on
the version: function patterns, the zigzag order of the data modules and the mask, so that encoding is a
Reed–Solomon division and a bit copy (about 0.2 ms).

The mask pattern is fixed (:data:`MASK`) instead of chosen by the penalty rules: every mask is a valid QR code
(the reader takes it from the format information), the penalty rules only avoid patterns that might confuse a
poor reader. The tests check that every code decodes with ZBar (``zbarimg``) and is module for module what
segno produces for the same version and mask. The algorithm follows ISO/IEC 18004:2015 as explained in
Project Nayuki's reference implementation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from reportlab.pdfgen.canvas import Canvas

__all__ = ["MASK", "QUIET_ZONE", "QrCode", "draw_qr", "encode_qr"]

#: Mask pattern used for every code (see the module docstring). Pattern 4: (row // 2 + col // 3) % 2 == 0.
MASK = 4
#: Light border around the code, in modules, as the standard requires.
QUIET_ZONE = 4

_ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_ALPHANUMERIC_VALUE = {char: index for index, char in enumerate(_ALPHANUMERIC)}
_MAX_VERSION = 10
# Level M, versions 1–10 (ISO/IEC 18004 table 9): error correction codewords per block, number of blocks.
_ECC_PER_BLOCK = (0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26)
_BLOCKS = (0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5)
_FORMAT_LEVEL_M = 0  # the two error-correction-level bits of the format information for M


@dataclass(frozen=True)
class QrCode:
    """An encoded QR code: ``size`` × ``size`` modules, row by row, 1 = dark."""

    version: int
    size: int
    modules: tuple[bytes, ...]

    def is_dark(self, row: int, column: int) -> bool:
        return bool(self.modules[row][column])


# --- Reed–Solomon over GF(256), polynomial 0x11D -----------------------------------------------------------------

_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _power in range(255):
    _EXP[_power] = _value
    _LOG[_value] = _power
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
for _power in range(255, 512):
    _EXP[_power] = _EXP[_power - 255]


def _multiply(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


@cache
def _divisor(degree: int) -> tuple[int, ...]:
    """Coefficients of the generator polynomial of ``degree`` (highest power first, leading 1 dropped)."""
    result = [0] * (degree - 1) + [1]
    root = 1
    for _ in range(degree):
        for index in range(degree):
            result[index] = _multiply(result[index], root)
            if index + 1 < degree:
                result[index] ^= result[index + 1]
        root = _multiply(root, 2)
    return tuple(result)


@cache
def _products(degree: int) -> tuple[int, ...]:
    """For each byte value f, the divisor multiplied by f, packed into one integer (``degree`` bytes)."""
    divisor = _divisor(degree)
    return tuple(int.from_bytes(bytes(_multiply(c, factor) for c in divisor), "big") for factor in range(256))


def _remainder(data: list[int], degree: int) -> list[int]:
    """The Reed–Solomon remainder of ``data`` by the generator of ``degree``: the error correction codewords.

    The shift register is one Python integer of ``degree`` bytes; each data byte costs one table lookup, one shift
    and one XOR instead of ``degree`` multiplications.
    """
    products = _products(degree)
    top_shift = 8 * (degree - 1)
    keep = (1 << (8 * degree)) - 1
    register = 0
    for byte in data:
        factor = byte ^ (register >> top_shift)
        register = ((register << 8) & keep) ^ products[factor]
    return list(register.to_bytes(degree, "big"))


# --- version geometry --------------------------------------------------------------------------------------------


def _raw_data_modules(version: int) -> int:
    result = (16 * version + 128) * version + 64
    if version >= 2:
        count = version // 7 + 2
        result -= (25 * count - 10) * count - 55
        if version >= 7:
            result -= 36
    return result


def _data_codewords(version: int) -> int:
    return _raw_data_modules(version) // 8 - _ECC_PER_BLOCK[version] * _BLOCKS[version]


def _alignment_positions(version: int) -> list[int]:
    if version == 1:
        return []
    count = version // 7 + 2
    size = version * 4 + 17
    step = (version * 4 + count * 2 + 1) // (count * 2 - 2) * 2
    return [6, *reversed([size - 7 - i * step for i in range(count - 1)])]


def _mask_bit(mask: int, row: int, column: int) -> int:
    formulas = (
        (row + column) % 2,
        row % 2,
        column % 3,
        (row + column) % 3,
        (row // 2 + column // 3) % 2,
        row * column % 2 + row * column % 3,
        (row * column % 2 + row * column % 3) % 2,
        ((row + column) % 2 + row * column % 3) % 2,
    )
    return 1 if formulas[mask] == 0 else 0


@dataclass(frozen=True)
class _Template:
    """Everything of a version that does not depend on the data."""

    size: int
    data_modules: int  # how many modules carry data (codewords and remainder bits)
    mask: int  # the mask over the data modules in placement order, as one integer (first module = top bit)
    gather: tuple[int, ...]  # for each module, row by row: its index in the placed data bits, or a constant


@cache
def _template(version: int, mask: int) -> _Template:
    size = version * 4 + 17
    grid = bytearray(size * size)
    function = bytearray(size * size)

    def put(column: int, row: int, dark: bool) -> None:
        grid[row * size + column] = 1 if dark else 0
        function[row * size + column] = 1

    for index in range(size):  # timing patterns
        put(6, index, index % 2 == 0)
        put(index, 6, index % 2 == 0)
    for cx, cy in ((3, 3), (size - 4, 3), (3, size - 4)):  # finder patterns with their separators
        for dy in range(-4, 5):
            for dx in range(-4, 5):
                x, y = cx + dx, cy + dy
                if 0 <= x < size and 0 <= y < size:
                    put(x, y, max(abs(dx), abs(dy)) not in (2, 4))
    positions = _alignment_positions(version)
    last = len(positions) - 1
    for i, ay in enumerate(positions):
        for j, ax in enumerate(positions):
            if (i, j) in ((0, 0), (0, last), (last, 0)):
                continue
            for dy in range(-2, 3):
                for dx in range(-2, 3):
                    put(ax + dx, ay + dy, max(abs(dx), abs(dy)) != 1)

    data = _FORMAT_LEVEL_M << 3 | mask  # format information (BCH 15,5)
    remainder = data
    for _ in range(10):
        remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
    bits = (data << 10 | remainder) ^ 0x5412
    for i in range(6):
        put(8, i, (bits >> i) & 1 == 1)
    put(8, 7, (bits >> 6) & 1 == 1)
    put(8, 8, (bits >> 7) & 1 == 1)
    put(7, 8, (bits >> 8) & 1 == 1)
    for i in range(9, 15):
        put(14 - i, 8, (bits >> i) & 1 == 1)
    for i in range(8):
        put(size - 1 - i, 8, (bits >> i) & 1 == 1)
    for i in range(8, 15):
        put(8, size - 15 + i, (bits >> i) & 1 == 1)
    put(8, size - 8, True)  # the dark module

    if version >= 7:  # version information (BCH 18,6)
        remainder = version
        for _ in range(12):
            remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25)
        version_bits = version << 12 | remainder
        for i in range(18):
            dark = (version_bits >> i) & 1 == 1
            a, b = size - 11 + i % 3, i // 3
            put(a, b, dark)
            put(b, a, dark)

    order: list[int] = []
    for right in range(size - 1, 0, -2):  # the zigzag, two columns at a time, skipping the timing column
        if right <= 6:
            right -= 1
        upward = (right + 1) & 2 == 0
        for vertical in range(size):
            row = size - 1 - vertical if upward else vertical
            for column in (right, right - 1):
                if not function[row * size + column]:
                    order.append(row * size + column)
    mask_value = 0
    for flat in order:
        mask_value = (mask_value << 1) | _mask_bit(mask, flat // size, flat % size)
    # Each module is read from "data bits + '01'": a data module from its place in the zigzag order, a function
    # module from the constant "0" (index n) or "1" (index n + 1).
    count = len(order)
    place = {flat: index for index, flat in enumerate(order)}
    gather = tuple(place.get(flat, count + grid[flat]) for flat in range(size * size))
    return _Template(size, count, mask_value, gather)


# --- encoding ------------------------------------------------------------------------------------------------------


class _Bits:
    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def add(self, value: int, length: int) -> None:
        self.value = (self.value << length) | value
        self.length += length


def _segment(text: str, version: int) -> _Bits:
    bits = _Bits()
    if all(char in _ALPHANUMERIC_VALUE for char in text):
        bits.add(0b0010, 4)
        bits.add(len(text), 9 if version <= 9 else 11)
        for index in range(0, len(text) - 1, 2):
            bits.add(_ALPHANUMERIC_VALUE[text[index]] * 45 + _ALPHANUMERIC_VALUE[text[index + 1]], 11)
        if len(text) % 2:
            bits.add(_ALPHANUMERIC_VALUE[text[-1]], 6)
    else:
        data = text.encode("utf-8")
        bits.add(0b0100, 4)
        bits.add(len(data), 8 if version <= 9 else 16)
        for byte in data:
            bits.add(byte, 8)
    return bits


def _codewords(bits: _Bits, version: int) -> list[int]:
    capacity = _data_codewords(version) * 8
    terminator = min(4, capacity - bits.length)
    bits.add(0, terminator)
    bits.add(0, -bits.length % 8)
    count = bits.length // 8
    data = list(bits.value.to_bytes(count, "big")) if count else []
    pad = 0xEC
    while len(data) < capacity // 8:
        data.append(pad)
        pad ^= 0xEC ^ 0x11
    return data


def _interleave(data: list[int], version: int) -> list[int]:
    blocks_count = _BLOCKS[version]
    ecc_length = _ECC_PER_BLOCK[version]
    raw_codewords = _raw_data_modules(version) // 8
    short_blocks = blocks_count - raw_codewords % blocks_count
    short_length = raw_codewords // blocks_count
    blocks: list[list[int]] = []
    start = 0
    for index in range(blocks_count):
        length = short_length - ecc_length + (0 if index < short_blocks else 1)
        block = data[start : start + length]
        start += length
        ecc = _remainder(block, ecc_length)
        if index < short_blocks:
            block.append(0)
        blocks.append(block + ecc)
    result: list[int] = []
    for column in range(len(blocks[0])):
        for index, block in enumerate(blocks):
            if column != short_length - ecc_length or index >= short_blocks:
                result.append(block[column])
    return result


_AS_BINARY_DIGIT = bytes.maketrans(b"\x00\x01", b"01")
_FROM_BINARY_DIGIT = bytes.maketrans(b"01", b"\x00\x01")


def encode_qr(text: str, *, mask: int = MASK) -> QrCode:
    """Encode ``text`` at error correction level M in the smallest version (1–10) that holds it.

    Text made only of ``0-9 A-Z $%*+-./:`` uses the compact alphanumeric mode, anything else UTF-8 bytes.
    ``ValueError`` when it does not fit in version 10.
    """
    for version in range(1, _MAX_VERSION + 1):
        bits = _segment(text, version)
        if bits.length <= _data_codewords(version) * 8:
            break
    else:
        raise ValueError(f"text too long for a version {_MAX_VERSION} QR code: {len(text)} characters")
    codewords = _interleave(_codewords(bits, version), version)
    template = _template(version, mask)
    count = template.data_modules
    stream = int.from_bytes(bytes(codewords), "big") << (count - 8 * len(codewords))  # + remainder bits (0)
    placed = format(stream ^ template.mask, f"0{count}b") + "01"
    modules = "".join(map(placed.__getitem__, template.gather)).encode("ascii").translate(_FROM_BINARY_DIGIT)
    size = template.size
    return QrCode(version, size, tuple(modules[row * size : (row + 1) * size] for row in range(size)))


@lru_cache(maxsize=8)
def _image_operators(code: QrCode) -> str:
    """An inline 1-bit image mask of the modules (PDF 1.2+ ``BI … ID … EI``), one pixel per module.

    A 37×37 code is 185 bytes of samples (370 as hexadecimal), against several kilobytes for a path of
    rectangles; an image mask is painted in the fill colour and scaled without smoothing, so the modules stay
    sharp at any size. ``/D [1 0]``: a 1 bit (dark module) is painted.
    """
    padding = -code.size % 8
    digits = (code.size + padding) // 4
    rows = [format(int(row.translate(_AS_BINARY_DIGIT), 2) << padding, f"0{digits}X") for row in code.modules]
    return f"BI /IM true /W {code.size} /H {code.size} /BPC 1 /D [1 0] /F /AHx ID\n{''.join(rows)}>\nEI"


def draw_qr(canvas: Canvas, code: QrCode, x: float, y: float, side: float) -> None:
    """Draw ``code`` with its lower-left corner at (``x``, ``y``), ``side`` points wide, quiet zone included.

    The modules are an inline image mask (:func:`_image_operators`) under a scaling transform, so a code costs a
    few hundred bytes of PDF and needs no image object or font.
    """
    modules = code.size + 2 * QUIET_ZONE
    unit = side / modules
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, side, side, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    inner = code.size * unit
    left, bottom = x + QUIET_ZONE * unit, y + QUIET_ZONE * unit
    canvas.addLiteral(f"{inner:.3f} 0 0 {inner:.3f} {left:.3f} {bottom:.3f} cm\n{_image_operators(code)}")
    canvas.restoreState()
