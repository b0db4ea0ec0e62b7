"""Cyclic garbage is collected in the GUI thread only (gui/collector.py)."""

from __future__ import annotations

import gc
import threading

from pytestqt.qtbot import QtBot

from pensiondesk.gui.collector import MainThreadCollector
from pensiondesk.gui.qt import QApplication, QDialog, QThread


class _Holder:
    """A reference cycle that holds a Python-owned dialog, like a closure keeping a dialog alive."""

    def __init__(self, dialog: QDialog) -> None:
        self.dialog = dialog
        self.me = self


def test_a_cycle_holding_a_widget_is_freed_by_the_gui_thread_not_by_a_worker(qtbot: QtBot, qapp: QApplication) -> None:
    collector = MainThreadCollector(interval_ms=10)
    collector.start()
    try:
        assert not gc.isenabled()
        destroyed_in: list[bool] = []
        dialog = QDialog()  # no parent: Python owns it, and freeing the wrapper deletes the C++ dialog
        dialog.destroyed.connect(lambda: destroyed_in.append(QThread.currentThread() is qapp.thread()))
        _Holder(dialog)
        del dialog

        def allocate() -> None:  # far past the thresholds, in a worker thread: nothing is collected here
            junk = []
            for _ in range(50_000):
                pair: list[object] = []
                pair.append(pair)
                junk.append(pair)

        worker = threading.Thread(target=allocate)
        worker.start()
        worker.join()
        assert destroyed_in == []
        qtbot.waitUntil(lambda: bool(destroyed_in), timeout=5000)  # the GUI thread's timer collects it
        assert destroyed_in == [True]
        assert collector.collections >= 1
    finally:
        collector.stop()
