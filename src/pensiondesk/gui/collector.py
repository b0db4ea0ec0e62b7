"""Python's cyclic garbage collection, pinned to the GUI thread (垃圾回收只在界面线程).

Python collects reference cycles in whichever thread happens to allocate past the threshold — in this program
often a worker thread (sync, roster import, backup, audit check). Collecting there can free the last Python
reference to a Qt widget caught in a cycle (a dialog held by a closure, say), and Qt widgets must only be
destroyed in the GUI thread: PySide defers the deletion to the GUI thread, where it crashed the program with a
segmentation fault (seen: the first 立即同步 after a 参保登记 dialog had been used).

:func:`pin_garbage_collection` switches automatic collection off and has a timer in the GUI thread collect each
generation when its count passes the same thresholds Python would use (the pattern of calibre and pyqtgraph's
``GarbageCollector``). Reference counting still frees everything that is not in a cycle at once, in any thread;
only cycles wait, at most :data:`INTERVAL_MS`.
"""

from __future__ import annotations

import gc

from pensiondesk.gui.qt import QCoreApplication, QObject, QThread, QTimer

__all__ = ["INTERVAL_MS", "MainThreadCollector", "pin_garbage_collection"]

#: How often the GUI thread looks at the collector's counts.
INTERVAL_MS = 1000


class MainThreadCollector(QObject):
    """Collects cycles from a GUI-thread timer; automatic collection stays off while it runs."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.collections = 0
        self._was_enabled = gc.isenabled()

    def start(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self.timer.start()

    def stop(self) -> None:
        """Stop the timer; automatic collection is on again if it was on when :meth:`start` was called."""
        self.timer.stop()
        if self._was_enabled:
            gc.enable()

    def check(self) -> int:
        """Collect the oldest generation whose count passed its threshold; returns the objects freed."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.threshold[generation]:
                self.collections += 1
                return gc.collect(generation)
        return 0


_collector: MainThreadCollector | None = None


def pin_garbage_collection(app: QCoreApplication) -> MainThreadCollector:
    """Start the GUI-thread collector for ``app`` unless it runs already; call from the GUI thread once the
    application exists, and :meth:`MainThreadCollector.stop` it when the event loop has ended (automatic
    collection comes back then: nothing would run the timer any more)."""
    global _collector
    if QThread.currentThread() is not app.thread():
        raise RuntimeError("pin_garbage_collection must be called from the GUI thread")
    if _collector is None:
        _collector = MainThreadCollector(app)
    if not _collector.timer.isActive():
        _collector.start()
    return _collector
