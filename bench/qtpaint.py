"""First paint of the person list, in this process (人员列表首屏绘制).

Used by the ``first_paint`` figure: the main window is constructed over the benchmark database, shown, and Qt's
events are processed until the person table's viewport has been painted with rows the model fetched. The
baseline is the same screenful painted by bare Qt: a ``QTableView`` over a ``QStandardItemModel`` that already
holds the visible cells' strings, in a bare ``QMainWindow`` of the same size.

Qt must run offscreen (``QT_QPA_PLATFORM=offscreen``) on a machine without a screen; :mod:`bench.__main__`
sets that before anything imports Qt.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QMessageLogContext, QObject, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView, QWidget

from pensiondesk.gui.app import build_main_window, install_bundled_font
from pensiondesk.store.db import open_database

__all__ = ["application", "bare_table_first_paint", "main_window_first_paint"]

#: Give up waiting for a paint after this long (something is wrong, not slow).
_PAINT_TIMEOUT_S = 60.0


def application() -> QApplication:
    """The process's ``QApplication`` with the bundled font, made on first use (as ``run_gui`` makes it)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    qInstallMessageHandler(_quiet_offscreen)
    app = QApplication(["pensiondesk-bench"])
    install_bundled_font(app)
    return app


def _quiet_offscreen(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Drop the offscreen platform's note about size hints (once per window); print everything else."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


class _PaintWatch(QObject):
    """Notes when the watched widget receives its first paint event."""

    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False  # the widget paints as usual


def _until_painted(app: QApplication, viewport: QWidget, watch: _PaintWatch) -> None:
    deadline = time.perf_counter() + _PAINT_TIMEOUT_S
    while not watch.painted:
        app.processEvents()
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{viewport!r} was not painted within {_PAINT_TIMEOUT_S:.0f} s")
    # The paint event has been delivered inside processEvents(), which returns only after the paint is done.


def main_window_first_paint(db_path: Path) -> tuple[float, int]:
    """Seconds from constructing ``MainWindow`` to the first painted screenful, and how many rows were fetched.

    The database is opened before the clock starts (opening is part of the app-start figure), with a fresh
    connection each time, so SQLite's page cache starts cold as it does when the program starts.
    """
    app = application()
    db = open_database(db_path, create=False)
    watch = _PaintWatch()
    try:
        started = time.perf_counter()
        window = build_main_window(db.session, db.path)
        viewport = window.person_page.table.viewport()
        viewport.installEventFilter(watch)
        window.show()
        _until_painted(app, viewport, watch)
        elapsed = time.perf_counter() - started
        fetched = window.person_page.model.cached_row_count
        viewport.removeEventFilter(watch)
        window.close()
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
    finally:
        db.close()
    if fetched == 0:
        raise RuntimeError("the person table was painted without fetching any row: nothing to measure")
    return elapsed, fetched


def bare_table_first_paint(cells: list[list[str]], size: tuple[int, int] = (1280, 800)) -> float:
    """Seconds from constructing a bare ``QMainWindow`` + ``QTableView`` holding ``cells`` to its first paint."""
    app = application()
    watch = _PaintWatch()
    started = time.perf_counter()
    window = QMainWindow()
    model = QStandardItemModel(len(cells), len(cells[0]) if cells else 0, window)
    for row, values in enumerate(cells):
        for column, text in enumerate(values):
            model.setItem(row, column, QStandardItem(text))
    table = QTableView()
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(*size)
    table.viewport().installEventFilter(watch)
    window.show()
    _until_painted(app, table.viewport(), watch)
    elapsed = time.perf_counter() - started
    table.viewport().removeEventFilter(watch)
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    return elapsed
