"""Error reporting in the GUI (错误提示与崩溃日志), sorted by whose fault the error is.

* Known trouble (:class:`~pensiondesk.store.errors.StoreError`: disk full, file locked, database too new)
  is the coordinator's to fix: a message box says what happened and what to do, in plain Chinese.
* Anything else is a bug in PensionDesk: the traceback goes to a log file in the user log directory and
  the coordinator sees one sentence with the path of that file, never the traceback itself.

:func:`install_excepthook` makes :class:`ExceptionHook` the ``sys.excepthook``; PySide6 hands it the
exceptions raised in slots and in overridden Qt methods such as ``QAbstractItemModel.data``.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from pensiondesk import __version__
from pensiondesk.gui.qt import QApplication, QCoreApplication, QMessageBox, QWidget
from pensiondesk.store.errors import StoreError

__all__ = [
    "LOG_FILE_NAME",
    "ExceptionHook",
    "confirm",
    "default_log_dir",
    "install_excepthook",
    "show_error",
    "show_store_error",
]

LOG_FILE_NAME = "pensiondesk-errors.log"
#: Past this size the log is moved to ``*.log.1`` (one generation kept), so it never fills a small disk.
_LOG_MAX_BYTES = 1_000_000
#: The same error again within this many seconds is logged but not shown again: a failing repaint repeats.
_REPEAT_QUIET_SECONDS = 10.0


def default_log_dir() -> Path:
    """The per-user log directory (Windows: ``%LOCALAPPDATA%\\PensionDesk\\Logs``)."""
    import platformdirs

    return Path(platformdirs.user_log_dir("PensionDesk", appauthor=False))


def _dialog_parent() -> QWidget | None:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return None
    return app.activeWindow()


def show_error(parent: QWidget | None, message: str, title: str | None = None) -> None:
    """A modal error box with ``message`` and a single 确定 button."""
    QMessageBox.critical(parent, title or QCoreApplication.translate("errors", "出错了"), message)


def confirm(parent: QWidget | None, title: str, text: str, *, yes: str | None = None) -> bool:
    """Ask before something that cannot be undone; ``True`` only when the coordinator chose ``yes``.

    ``text`` asks 确定要……吗？ and says what will happen. The buttons are ``yes`` (default 确定(&Y)) and 取消(&N);
    取消 is the default button, so Enter (or Esc) cancels and only Y, Alt+Y or a click on ``yes`` goes ahead.
    Tests monkeypatch this function (in the page modules that import it) to answer without a dialog.
    """
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent)
    go_ahead = box.addButton(yes or QCoreApplication.translate("errors", "确定(&Y)"), QMessageBox.ButtonRole.YesRole)
    cancel = box.addButton(QCoreApplication.translate("errors", "取消(&N)"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is go_ahead


def show_store_error(parent: QWidget | None, error: StoreError) -> None:
    """Tell the coordinator about known database trouble, in the store's own words."""
    show_error(parent, error.user_message, QCoreApplication.translate("errors", "数据库问题"))


class ExceptionHook:
    """A ``sys.excepthook`` that logs bugs to a file and tells the coordinator in one Chinese sentence.

    ``notify`` receives the sentence to show (the default shows a message box); a :class:`StoreError` that
    reaches the hook is shown with its own ``user_message`` and not logged as a bug. The same error raised
    again at once (a table that fails on every repaint) is not shown again for a few seconds.
    """

    def __init__(
        self,
        log_dir: Path,
        notify: Callable[[str], None] | None = None,
        notify_known: Callable[[StoreError], None] | None = None,
    ) -> None:
        self.log_dir = log_dir
        self._notify = notify or self._show_crash
        self._notify_known = notify_known or (lambda error: show_store_error(_dialog_parent(), error))
        self._showing = False
        self._last_shown: tuple[str, float] | None = None

    @property
    def log_path(self) -> Path:
        return self.log_dir / LOG_FILE_NAME

    def __call__(
        self,
        exc_type: type[BaseException],
        exc_value: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc_value, tb)
            return
        known = exc_value if isinstance(exc_value, StoreError) else None
        written = self.write_log(exc_type, exc_value, tb) if known is None else None
        key = f"{exc_type.__qualname__}: {exc_value}"
        # One dialog at a time, and not the same one again at once: a failing repaint raises on every paint.
        if self._showing or self._repeated(key):
            return
        self._showing = True
        try:
            if known is not None:
                self._notify_known(known)
            else:
                unwritten = QCoreApplication.translate("errors", "（日志无法写入）")
                where = str(written) if written is not None else unwritten
                self._notify(QCoreApplication.translate("errors", "程序遇到意外错误，已记录日志：%s") % where)
        finally:
            self._showing = False
            self._last_shown = (key, time.monotonic())

    def _repeated(self, key: str) -> bool:
        if self._last_shown is None:
            return False
        last_key, shown_at = self._last_shown
        return key == last_key and time.monotonic() - shown_at < _REPEAT_QUIET_SECONDS

    def write_log(
        self,
        exc_type: type[BaseException],
        exc_value: BaseException,
        tb: TracebackType | None,
    ) -> Path | None:
        """Append the traceback to the log file; ``None`` if even that failed (then it goes to stderr)."""
        text = "".join(traceback.format_exception(exc_type, exc_value, tb))
        entry = f"--- {datetime.now():%Y-%m-%d %H:%M:%S} PensionDesk {__version__}\n{text}\n"
        try:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            path = self.log_path
            if path.exists() and path.stat().st_size > _LOG_MAX_BYTES:
                path.replace(path.with_name(path.name + ".1"))
            with path.open("a", encoding="utf-8") as log:
                log.write(entry)
        except OSError:
            sys.stderr.write(entry)
            return None
        return path

    @staticmethod
    def _show_crash(message: str) -> None:
        if QApplication.instance() is None:
            sys.stderr.write(message + "\n")
            return
        show_error(_dialog_parent(), message, QCoreApplication.translate("errors", "程序错误"))


def install_excepthook(
    log_dir: Path | None = None,
    notify: Callable[[str], None] | None = None,
) -> ExceptionHook:
    """Make an :class:`ExceptionHook` the process's ``sys.excepthook`` and return it."""
    hook = ExceptionHook(log_dir or default_log_dir(), notify)
    sys.excepthook = hook
    return hook
