"""套打校准: the receipt overlay offsets and the calibration page, as one box the 设置 page and the setup wizard share.

The offsets (millimetres, right and down positive) go through the same audited service as ``pensiondesk receipt
calibrate``; the calibration page is the one of ``pensiondesk print receipt-test``, written under the printouts
folder and handed to the printer function (``money_page.send_to_printer`` unless a test passes its own). What
happened is said through :attr:`ReceiptCalibration.message`, for the page that holds the box to show.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pensiondesk.gui.errors import show_store_error
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget, Signal
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.recording import Actor
from pensiondesk.store.errors import StoreError

__all__ = ["Printer", "ReceiptCalibration", "write_session"]

#: Prints a PDF and says what happened (see money_page.send_to_printer); tests pass their own.
Printer = Callable[[Path, str], str]


@contextmanager
def write_session(session_factory: SessionFactory) -> Iterator[Any]:
    """A session for a use case that writes: ``BEGIN IMMEDIATE`` when the factory offers it."""
    factory: Any = session_factory
    try:
        takes_immediate = "immediate" in inspect.signature(factory).parameters
    except (TypeError, ValueError):
        takes_immediate = False
    with factory(immediate=True) if takes_immediate else factory() as session:
        yield session


class ReceiptCalibration(QGroupBox):
    """水平偏移 / 垂直偏移 with 保存偏移 and 打印校准页, and a line on how to measure."""

    #: (text in Chinese, whether it is an error)
    message = Signal(str, bool)

    def __init__(
        self,
        session_factory: SessionFactory,
        actor: Actor | Callable[[], Actor],
        output_dir: Path,
        printer: Printer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("套打校准（收据打在县里预印的收据纸上时使用）"))
        self._session_factory = session_factory
        self._actor = actor
        self._output_dir = Path(output_dir)
        if printer is None:
            from pensiondesk.gui.money_page import send_to_printer

            printer = send_to_printer
        self._printer = printer
        self.x_edit = QLineEdit()
        self.x_edit.setObjectName("settingsOffsetX")
        self.y_edit = QLineEdit()
        self.y_edit.setObjectName("settingsOffsetY")
        for edit in (self.x_edit, self.y_edit):
            edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("-000.0") * 2)
            edit.returnPressed.connect(self.save_offset)
        x_label = QLabel(self.tr("水平偏移(&R)："))
        x_label.setBuddy(self.x_edit)
        y_label = QLabel(self.tr("垂直偏移(&D)："))
        y_label.setBuddy(self.y_edit)
        self.save_offset_button = QPushButton(self.tr("保存偏移(&S)"))
        self.save_offset_button.setObjectName("settingsSaveOffset")
        self.test_page_button = QPushButton(self.tr("打印校准页(&T)"))
        self.test_page_button.setObjectName("settingsTestPage")
        for button in (self.save_offset_button, self.test_page_button):
            button.setAutoDefault(False)
        self.save_offset_button.clicked.connect(self.save_offset)
        self.test_page_button.clicked.connect(self.print_test_page)
        row = QHBoxLayout()
        row.addWidget(x_label)
        row.addWidget(self.x_edit)
        row.addWidget(QLabel(self.tr("毫米")))
        row.addSpacing(16)
        row.addWidget(y_label)
        row.addWidget(self.y_edit)
        row.addWidget(QLabel(self.tr("毫米")))
        row.addSpacing(16)
        row.addWidget(self.save_offset_button)
        row.addWidget(self.test_page_button)
        row.addStretch(1)
        hint = QLabel(
            self.tr(
                "先打印校准页，放在预印收据纸上对着看：字印得偏左或偏上时，填正数往右、往下移；"
                "偏右或偏下时填负数（例如 1.5 或 -2）。保存后再打印一张核对。"
            )
        )
        hint.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addLayout(row)
        box.addWidget(hint)

    def actor(self) -> Actor:
        return self._actor() if callable(self._actor) else self._actor

    def reload(self) -> None:
        """Show the offsets in force."""
        from pensiondesk.services.receipts import overlay_offset

        try:
            with self._session_factory() as session:
                offset = overlay_offset(session)
        except StoreError as error:
            show_store_error(self, error)
            return
        self.x_edit.setText(str(offset.x_mm))
        self.y_edit.setText(str(offset.y_mm))

    def save_offset(self) -> bool:
        """保存偏移: through the audited service; a wrong number is said, nothing saved."""
        from pensiondesk.services.receipts import set_overlay_offset

        try:
            with write_session(self._session_factory) as session:
                offset = set_overlay_offset(session, self.actor(), self.x_edit.text(), self.y_edit.text())
        except ServiceError as error:
            self.message.emit(error.user_message, True)
            return False
        except StoreError as error:
            show_store_error(self, error)
            return False
        self.x_edit.setText(str(offset.x_mm))
        self.y_edit.setText(str(offset.y_mm))
        self.message.emit(self.tr("套打偏移已保存：水平 %s 毫米，垂直 %s 毫米") % (offset.x_mm, offset.y_mm), False)
        return True

    def print_test_page(self) -> Path | None:
        """Print the calibration page with the saved offsets (what is typed but not saved is not used)."""
        from pensiondesk.services.settings import write_overlay_test_page

        path = self._output_dir / "收据" / "套打校准页.pdf"
        try:
            with self._session_factory() as session:
                write_overlay_test_page(session, path)
        except StoreError as error:
            show_store_error(self, error)
            return None
        except OSError as error:
            self.message.emit(self.tr("无法生成校准页（%s）：%s") % (path, error.strerror or error), True)
            return None
        self.message.emit(self._printer(path, self.tr("套打校准页")), False)
        return path
