"""The main window's status bar (状态栏), whose messages are always shown whole.

The permanent labels on the right (操作员, 村, 数据库, 同步) take more than half of a 1366-pixel screen, and Qt draws a
temporary message on one line in what is left, cut off: "已录入王大明的参保登记，请另一位工作人员在“审核”中初…".
:class:`MessageStatusBar` shows the message in a label of its own that wraps onto a second line when it must (the
bar grows for it). ``showMessage``/``currentMessage``/``clearMessage`` work as in Qt.
"""

from __future__ import annotations

from pensiondesk.gui.qt import QLabel, QResizeEvent, QSize, QSizePolicy, QStatusBar, Qt, QWidget

__all__ = ["MessageStatusBar"]


class _MessageLabel(QLabel):
    """A wrapped label whose size hint is as tall as its text needs at its current width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._height = 0

    def _needed_height(self) -> int:
        one_line = self.fontMetrics().height() + self.contentsMargins().top() + self.contentsMargins().bottom()
        if not self.text() or self.width() < 4 * self.fontMetrics().height():  # not laid out yet
            return one_line
        return max(one_line, self.heightForWidth(self.width()))

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._needed_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self._needed_height())

    def setText(self, text: str) -> None:
        super().setText(text)
        self._relayout()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def _relayout(self) -> None:
        height = self._needed_height()
        if height != self._height:
            self._height = height
            self.updateGeometry()  # the status bar re-reads its height


class MessageStatusBar(QStatusBar):
    """A status bar that shows its temporary message whole, wrapped in :attr:`message_label`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message_label = _MessageLabel()
        self.message_label.setObjectName("statusMessage")
        self.message_label.setContentsMargins(4, 2, 8, 2)
        # The first permanent widget: leftmost, it takes what the others leave. (Qt draws the message itself only
        # left of the first permanent widget, where there is no room now: it is shown once, by the label.)
        self.addPermanentWidget(self.message_label, 1)
        self.messageChanged.connect(self.message_label.setText)
