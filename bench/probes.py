"""Child processes for the figures that measure a whole program start (启动与内存探针).

Each probe is a ``python -c`` script, so the child imports nothing of the benchmark: it starts the desktop
program the way ``pensiondesk`` does (:func:`pensiondesk.gui.app.run_gui` on the benchmark database, offscreen)
and quits when the person list has been painted. The parent times the child from spawn to exit with
:func:`time.perf_counter`.

Peak memory is the child's own high-water mark of resident memory (``VmHWM`` in ``/proc/self/status``), which
the child reads just before it exits. The parent's view (``ru_maxrss`` from ``wait4``) would not do: Linux
carries the parent's peak RSS over ``fork`` into the child's ``ru_maxrss``, so a big benchmark process would
make every child look at least as big as itself.

The only hook is a wrapper around ``show_fitted`` (the last step of ``run_gui`` before the event loop) that
puts a paint watcher on the person table's viewport; everything else is the product's own start-up path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "BARE_APP",
    "IMPORT_QTWIDGETS",
    "START_AND_SCROLL",
    "START_TO_FIRST_PAINT",
    "ChildRun",
    "child_env",
    "run_child",
]

#: The app-start baseline named by the issue, reporting the wall-clock moment the import is done (``ready_at``).
IMPORT_QTWIDGETS = """import PySide6.QtWidgets
import json, time
print("BENCH " + json.dumps({"ready_at": time.time()}), flush=True)
"""

#: Prints ``BENCH {json}`` with the child's peak RSS in MB; appended to the scripts that report memory.
_PEAK = """
def peak_rss_mb():
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return None
"""

#: The GUI-memory baseline: a bare QApplication with an empty main window of the same size, shown and painted.
BARE_APP = (
    _PEAK
    + """
import json
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(["bare"])
window = QMainWindow()
window.resize(1280, 800)
window.show()
for _ in range(5):
    app.processEvents()
print("BENCH " + json.dumps({"peak_rss_mb": peak_rss_mb()}), flush=True)
"""
)

_WATCH = (
    _PEAK
    + """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from pensiondesk.gui import app as gui_app
import pensiondesk.gui.person_model as person_model
from pensiondesk.gui.qt import QApplication, QEvent, QObject, QTimer
imported = time.perf_counter()
marks = {"imports_s": imported - started, "rows_fetched": 0, "fetches": 0}
fetch_rows = person_model.fetch_person_rows

def counting_fetch(session, ids):
    rows = fetch_rows(session, ids)
    marks["rows_fetched"] += len(rows)
    marks["fetches"] += 1
    return rows

person_model.fetch_person_rows = counting_fetch

class Watch(QObject):
    def __init__(self, window):
        super().__init__()
        self.window = window
        self.seen = False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            marks["to_first_paint_s"] = time.perf_counter() - started
            marks["ready_at"] = time.time()  # wall clock: the parent compares it with the moment it spawned us
            QTimer.singleShot(0, lambda: after_first_paint(self.window))
        return False

show_fitted = gui_app.show_fitted
watchers = []

def show_and_watch(window):
    marks["to_window_built_s"] = time.perf_counter() - started
    watch = Watch(window)
    watchers.append(watch)
    window.person_page.table.viewport().installEventFilter(watch)
    show_fitted(window)

gui_app.show_fitted = show_and_watch
"""
)

_RUN = """
code = gui_app.run_gui(Path(sys.argv[1]), argv=["pensiondesk"])
marks["peak_rss_mb"] = peak_rss_mb()
print("BENCH " + json.dumps(marks), flush=True)
sys.exit(code)
"""

#: App start: run the program on the database given as argv[1] and quit once the person list is painted.
START_TO_FIRST_PAINT = (
    _WATCH
    + """
def after_first_paint(window):
    QApplication.instance().quit()
"""
    + _RUN
)

#: GUI memory: the same start, then drag the scroll bar through the whole list to its end, then quit.
START_AND_SCROLL = (
    _WATCH
    + """
SCROLL_STEPS = 200

def after_first_paint(window):
    app = QApplication.instance()
    table = window.person_page.table
    bar = table.verticalScrollBar()
    for step in range(1, SCROLL_STEPS + 1):
        bar.setValue(bar.maximum() * step // SCROLL_STEPS)
        app.processEvents()
    table.scrollToBottom()
    app.processEvents()
    model = window.person_page.model
    marks["rows"] = model.rowCount()
    marks["rows_cached"] = model.cached_row_count
    marks["last_row_painted"] = model.data(model.index(model.rowCount() - 1, 1)) is not None
    app.quit()
"""
    + _RUN
)


@dataclass(frozen=True)
class ChildRun:
    """One child process: wall-clock seconds from spawn to exit, its peak RSS, and what it reported."""

    seconds: float
    max_rss_mb: float | None
    report: dict[str, Any]
    spawned_at: float = 0.0  # time.time() just before the spawn

    @property
    def to_ready(self) -> float:
        """Seconds from spawn to the moment the child reported ``ready_at`` (its window painted, its import done)."""
        return float(self.report["ready_at"]) - self.spawned_at


def child_env(home: Path) -> dict[str, str]:
    """The environment for a probe: offscreen Qt, and a data folder of its own for logs."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PENSIONDESK_HOME"] = str(home)
    return env


def run_child(script: str, *args: str, env: dict[str, str], timeout: float = 300.0) -> ChildRun:
    """Run ``python -c script args…``; raises ``RuntimeError`` with its stderr when it fails.

    ``max_rss_mb`` is what the child reported as ``peak_rss_mb`` (``None`` for scripts that report nothing, and
    where ``/proc`` does not exist).
    """
    spawned_at = time.time()
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", script, *args], capture_output=True, env=env, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"probe did not finish within {timeout:.0f} s") from exc
    seconds = time.perf_counter() - started
    stdout = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace")
        raise RuntimeError(f"probe exited with {done.returncode}: {stderr.strip()[-2000:]}")
    report: dict[str, Any] = {}
    for line in stdout.splitlines():
        if line.startswith("BENCH "):
            report = json.loads(line[len("BENCH ") :])
    peak = report.get("peak_rss_mb")
    return ChildRun(seconds, float(peak) if peak is not None else None, report, spawned_at)
