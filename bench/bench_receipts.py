"""Receipt printing speed (收据打印性能), measured against a raw ReportLab baseline in the same run.

Two numbers, as the money issue asks:

1. one receipt PDF (three parts on A4, verification code included), warm: the median of 30 renders after a warm-up;
   the budget is 150 ms;
2. 500 receipts printed as one file, against a raw ReportLab canvas that draws exactly the same strings, at the same
   positions and sizes, with the same embedded font (captured from a recording canvas during an untimed render),
   every string on every page where it appears: the budget is 1.5× the baseline. Both sides are timed (CPU time)
   best-of-3, alternating, in the same process.

The receipts are real: a demo village in a temporary database, a receipt book, 500 collections through
``services.contributions`` and their print data through ``services.receipts``. Loading them is not timed.

Run: ``/work/venv/bin/python bench/bench_receipts.py`` (exit status 1 when a budget is exceeded).
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from sqlalchemy import select

from pensiondesk.documents.base import register_fonts
from pensiondesk.documents.receipt import load_receipt_layout, render_receipts
from pensiondesk.domain.codes import PersonStatus
from pensiondesk.services.contributions import collect_contribution
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.receipts import (
    ReceiptPrint,
    find_receipt,
    open_book,
    receipt_print_data,
    register_book,
)
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import open_database
from pensiondesk.store.models import Person

COUNT = 500
ROUNDS = 3
SINGLE_BUDGET_MS = 150.0
RATIO_BUDGET = 1.5
DAY = date(2026, 3, 2)

Item = tuple[str, float, float, float, str]  # font, size, x, y, text


class _RecordingText(PDFTextObject):
    def textOut(self, text: str) -> None:
        self._canvas._record((self._fontname, self._fontsize, self._x0, self._y0, text))
        super().textOut(text)


class RecordingCanvas(Canvas):
    """A canvas that remembers every string that appears on each page: the baseline's script.

    Strings drawn inside a form XObject (the printed form of a receipt part, drawn once per file) are counted on
    every page that places the form, since they appear there: the baseline draws them on every page.
    """

    pages: ClassVar[list[list[Item]]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        RecordingCanvas.pages = [[]]
        self._forms: dict[str, list[Item]] = {}
        self._in_form: str | None = None

    def _record(self, item: Item) -> None:
        if self._in_form is not None:
            self._forms[self._in_form].append(item)
        else:
            RecordingCanvas.pages[-1].append(item)

    def beginForm(self, name: str, *args: Any, **kwargs: Any) -> None:
        super().beginForm(name, *args, **kwargs)
        self._forms[name] = []
        self._in_form = name

    def endForm(self, **kwargs: Any) -> None:
        super().endForm(**kwargs)
        self._in_form = None

    def doForm(self, name: str) -> None:
        super().doForm(name)
        RecordingCanvas.pages[-1].extend(self._forms[name])

    def drawString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:
        self._record((self._fontname, self._fontsize, x, y, text))
        super().drawString(x, y, text, *args, **kwargs)

    def drawRightString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:
        self._record((self._fontname, self._fontsize, x, y, text))
        super().drawRightString(x, y, text, *args, **kwargs)

    def drawCentredString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:
        self._record((self._fontname, self._fontsize, x, y, text))
        super().drawCentredString(x, y, text, *args, **kwargs)

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> PDFTextObject:
        return _RecordingText(self, x, y, direction)

    def showPage(self) -> None:
        super().showPage()
        RecordingCanvas.pages.append([])


def raw_baseline(pages: list[list[Item]], size: tuple[float, float]) -> bytes:
    """The baseline: a plain canvas drawing the recorded strings, page by page, with the same font."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=size, pageCompression=1)
    for items in pages:
        for font, font_size, x, y, text in items:
            canvas.setFont(font, font_size)
            canvas.drawString(x, y, text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def make_receipts(folder: Path, count: int) -> list[ReceiptPrint]:
    """``count`` real receipts: demo village, one book, one collection per contributor."""
    db = open_database(folder / "bench.sqlite")
    actor = Actor("bench", display_name="王红")
    try:
        with db.session() as session:
            create_demo_village(session, persons=count * 3, seed=7, as_of=DAY)
        with db.session(immediate=True) as session:
            book = register_book(session, actor, series="BENCH", start_no=1, end_no=count, issued_on=DAY)
            open_book(session, actor, book.id)
            people = session.scalars(
                select(Person.id).where(Person.status == PersonStatus.CONTRIBUTING).limit(count)
            ).all()
            if len(people) < count:
                raise SystemExit(f"demo village has only {len(people)} contributors")
            tiers = (200_00, 300_00, 500_00, 1000_00)
            for index, person_id in enumerate(people):
                collect_contribution(session, actor, person_id=person_id, year=2026, tier_fen=tiers[index % 4], on=DAY)
        with db.session(immediate=True) as session:
            return [
                receipt_print_data(session, find_receipt(session, f"BENCH-{n}"), actor=actor)
                for n in range(1, count + 1)
            ]
    finally:
        db.close()


def _timed(action: Any) -> float:
    """CPU time of ``action``: steadier than wall time on a laptop busy with other work."""
    start = time.process_time()
    action()
    return time.process_time() - start


def main() -> int:
    register_fonts()
    layout = load_receipt_layout()
    with tempfile.TemporaryDirectory() as folder:
        receipts = make_receipts(Path(folder), COUNT)

    # 1. One receipt, warm.
    for _ in range(3):
        render_receipts([receipts[0]], io.BytesIO(), layout=layout)
    singles = [_timed(lambda i=i: render_receipts([receipts[i]], io.BytesIO(), layout=layout)) for i in range(30)]
    single_ms = statistics.median(singles) * 1000

    # 2. 500 in one file against the raw baseline drawing the same strings.
    render_receipts(receipts, io.BytesIO(), layout=layout, canvas_class=RecordingCanvas)
    pages = [page for page in RecordingCanvas.pages if page]
    strings = sum(len(page) for page in pages)
    ours: list[float] = []
    raw: list[float] = []
    for _ in range(ROUNDS):
        raw.append(_timed(lambda: raw_baseline(pages, layout.page_size)))
        ours.append(_timed(lambda: render_receipts(receipts, io.BytesIO(), layout=layout)))
    ratio = min(ours) / min(raw)

    print(f"single receipt (warm, median of 30): {single_ms:.1f} ms   budget {SINGLE_BUDGET_MS:.0f} ms")
    print(
        f"{COUNT} receipts in one file: {min(ours):.2f} s; raw canvas, same {strings} strings: {min(raw):.2f} s; "
        f"ratio {ratio:.2f}   budget {RATIO_BUDGET}"
    )
    ok = single_ms < SINGLE_BUDGET_MS and ratio <= RATIO_BUDGET
    print("OK" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
