"""The raw-ReportLab baseline for the document figures (原始 ReportLab 基线): the same text, nothing else.

:class:`RecordingCanvas` is a ReportLab ``Canvas`` that notes every string drawn — through ``drawString`` (which
``drawCentredString`` and ``drawRightString`` end in) and through text objects (titles, platypus paragraphs) —
with its font, size, position and page. :func:`replay` then draws exactly those strings, in the same font at the
same places on the same number of pages, on a plain ``Canvas``: no layout, no measuring, no lines, boxes or QR
codes. The ratio of the product's time to the replay's is what the layout and decoration cost on top of the
text itself.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

__all__ = ["Recording", "RecordingCanvas", "replay"]

#: ("s", font, size, x, y, text) for a string, ("page",) for the end of a page.
Op = tuple[Any, ...]


class Recording:
    """What a :class:`RecordingCanvas` saw: page size and the drawing operations, in order."""

    def __init__(self) -> None:
        self.pagesize: tuple[float, float] = (595.2756, 841.8898)
        self.ops: list[Op] = []

    @property
    def strings(self) -> int:
        return sum(1 for op in self.ops if op[0] == "s")

    @property
    def pages(self) -> int:
        return sum(1 for op in self.ops if op[0] == "page")


class _RecordingText(PDFTextObject):
    """A text object that remembers the strings put into it (and where the cursor was)."""

    def __init__(self, canvas: Canvas, x: float = 0, y: float = 0, direction: Any = None) -> None:
        super().__init__(canvas, x, y, direction=direction)
        self.recorded: list[Op] = []
        self._depth = 0

    def _note(self, text: str) -> None:
        if self._depth == 0 and text:
            self.recorded.append(("s", self._fontname, self._fontsize, self._x, self._y, text))

    def _textOut(self, text: str, TStar: int = 0) -> None:
        self._note(text)
        self._depth += 1
        try:
            super()._textOut(text, TStar)
        finally:
            self._depth -= 1

    def textOut(self, text: str) -> None:
        self._note(text)
        self._depth += 1
        try:
            super().textOut(text)
        finally:
            self._depth -= 1

    def textLine(self, text: str = "") -> None:
        self._note(text)
        self._depth += 1
        try:
            super().textLine(text)
        finally:
            self._depth -= 1


class RecordingCanvas(Canvas):
    """A ``Canvas`` that writes its PDF as usual and records every string into :attr:`recording`."""

    #: Set before use; every canvas made while it is set records into it.
    target: Recording | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recording = RecordingCanvas.target or Recording()
        width, height = self._pagesize
        self.recording.pagesize = (float(width), float(height))

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> PDFTextObject:
        return _RecordingText(self, x, y, direction)

    def drawString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:
        if text:
            self.recording.ops.append(("s", self._fontname, self._fontsize, x, y, text))
        super().drawString(x, y, text, *args, **kwargs)

    def drawText(self, aTextObject: PDFTextObject) -> None:
        if isinstance(aTextObject, _RecordingText):
            self.recording.ops.extend(aTextObject.recorded)
        super().drawText(aTextObject)

    def showPage(self) -> None:
        self.recording.ops.append(("page",))
        super().showPage()


def replay(recording: Recording, ops: Sequence[Op] | None = None) -> bytes:
    """Draw the recorded strings on a plain ``Canvas`` (page compression on, as the product has it)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=recording.pagesize, pageCompression=1)
    current: tuple[str, float] | None = None
    pending = False
    for op in recording.ops if ops is None else ops:
        if op[0] == "page":
            canvas.showPage()
            current = None
            pending = False
            continue
        _, font, size, x, y, text = op
        if (font, size) != current:
            canvas.setFont(font, size)
            current = (font, size)
        canvas.drawString(x, y, text)
        pending = True
    if pending:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
