"""The manual viewer (使用手册) that 帮助 → 使用手册 (F1) opens inside the program.

The manual is Markdown (``docs/manual.zh.md``, ``docs/manual.en.md``) with screenshots beside it. A Windows computer
has no program for ``.md`` files, so the program shows it itself: a :class:`QTextBrowser` renders the Markdown, its
pictures are read relative to the manual's folder and shrunk to the width of the window, the headings make a
table of contents on the left, Ctrl+F searches, Ctrl++ / Ctrl+- make the text larger or smaller, and the manual
can be printed or saved as a PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pensiondesk.gui.qt import (
    QDesktopServices,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QImage,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPixmap,
    QPrintDialog,
    QPrinter,
    QPushButton,
    QResizeEvent,
    QShortcut,
    QShowEvent,
    QSplitter,
    Qt,
    QTextBlock,
    QTextBrowser,
    QTextCursor,
    QTextDocument,
    QTimer,
    QTreeWidget,
    QTreeWidgetItem,
    QUrl,
    QVBoxLayout,
    QWidget,
)

__all__ = ["Heading", "ManualViewer", "heading_slug"]

#: Headings deeper than this stay out of the table of contents.
TOC_DEPTH = 3
#: Space kept free beside a picture that fills the width (the document margin and a little air).
_IMAGE_SLACK = 8


def heading_slug(text: str) -> str:
    """The anchor GitHub gives a heading: ``13. 同步（联网 / U盘）`` → ``13-同步联网--u盘``.

    The manual's own 目录 links to its sections this way, so the viewer follows them the same way.
    """
    kept = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return kept.replace(" ", "-")


def _block_indent(block: QTextBlock, document: QTextDocument) -> float:
    """How far a paragraph starts from the left edge (a picture inside a numbered step is indented)."""
    block_format = block.blockFormat()
    indent = block_format.leftMargin() + block_format.indent() * document.indentWidth()
    text_list = block.textList()
    if text_list is not None:
        indent += text_list.format().indent() * document.indentWidth()
    return indent


@dataclass(frozen=True)
class Heading:
    """One heading of the manual: its level (1 = the title), its text and the block it starts."""

    level: int
    text: str
    block_number: int


class ManualViewer(QDialog):
    """The manual in a window of its own (non-modal: the coordinator can follow it while working)."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("使用手册"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self._path = path
        self._image_sizes: dict[str, QImage] = {}
        self._zoom_steps = 0

        self.toc = QTreeWidget()
        self.toc.setObjectName("manualToc")
        self.toc.setHeaderHidden(True)
        self.toc.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # long titles end in …
        self.toc.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.toc.setAccessibleName(self.tr("目录"))
        self.toc.currentItemChanged.connect(self._toc_item_chosen)
        self.toc.itemActivated.connect(lambda item, _column: self._toc_item_chosen(item, None))

        self.browser = QTextBrowser()
        self.browser.setObjectName("manualText")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._link_clicked)
        self.browser.setAccessibleName(self.tr("使用手册内容"))

        self.find_label = QLabel(self.tr("查找(&F)："))
        self.find_box = QLineEdit()
        self.find_box.setObjectName("manualFind")
        self.find_box.setPlaceholderText(self.tr("输入要找的字，按回车找下一处"))
        self.find_box.setClearButtonEnabled(True)
        self.find_label.setBuddy(self.find_box)
        self.find_box.returnPressed.connect(self.find_next)
        self.next_button = QPushButton(self.tr("下一处(&N)"))
        self.next_button.clicked.connect(self.find_next)
        self.previous_button = QPushButton(self.tr("上一处(&P)"))
        self.previous_button.clicked.connect(self.find_previous)
        self.find_result = QLabel()
        self.find_result.setObjectName("manualFindResult")
        self.larger_button = QPushButton(self.tr("字大一点(&D)"))
        self.larger_button.setToolTip(self.tr("Ctrl + 加号"))
        self.larger_button.clicked.connect(self.zoom_in)
        self.smaller_button = QPushButton(self.tr("字小一点(&S)"))
        self.smaller_button.setToolTip(self.tr("Ctrl + 减号"))
        self.smaller_button.clicked.connect(self.zoom_out)
        self.print_button = QPushButton(self.tr("打印(&R)…"))
        self.print_button.clicked.connect(self.print_manual)
        self.pdf_button = QPushButton(self.tr("存为 PDF(&E)…"))
        self.pdf_button.clicked.connect(self._choose_pdf_file)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        for button in (self.next_button, self.previous_button, self.larger_button, self.smaller_button):
            button.setAutoDefault(False)
        for button in (self.print_button, self.pdf_button):
            button.setAutoDefault(False)

        tools = QHBoxLayout()
        tools.addWidget(self.find_label)
        tools.addWidget(self.find_box, 1)
        tools.addWidget(self.next_button)
        tools.addWidget(self.previous_button)
        tools.addWidget(self.find_result)
        tools.addSpacing(16)
        tools.addWidget(self.larger_button)
        tools.addWidget(self.smaller_button)
        tools.addSpacing(16)
        tools.addWidget(self.print_button)
        tools.addWidget(self.pdf_button)
        tools.addWidget(self.close_button)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.toc)
        self.splitter.addWidget(self.browser)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.splitter, 1)

        self._add_shortcut(QKeySequence.StandardKey.Find, self.focus_find)
        self._add_shortcut(QKeySequence.StandardKey.FindNext, self.find_next)
        self._add_shortcut(QKeySequence.StandardKey.FindPrevious, self.find_previous)
        self._add_shortcut(QKeySequence.StandardKey.ZoomIn, self.zoom_in)
        self._add_shortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Equal), self.zoom_in)
        self._add_shortcut(QKeySequence.StandardKey.ZoomOut, self.zoom_out)
        self._add_shortcut(QKeySequence.StandardKey.Print, self.print_manual)

        # Reading order for Tab: the search row left to right, then the contents, then the text.
        QWidget.setTabOrder(self.find_box, self.next_button)
        QWidget.setTabOrder(self.next_button, self.previous_button)
        QWidget.setTabOrder(self.previous_button, self.larger_button)
        QWidget.setTabOrder(self.larger_button, self.smaller_button)
        QWidget.setTabOrder(self.smaller_button, self.print_button)
        QWidget.setTabOrder(self.print_button, self.pdf_button)
        QWidget.setTabOrder(self.pdf_button, self.close_button)
        QWidget.setTabOrder(self.close_button, self.toc)
        QWidget.setTabOrder(self.toc, self.browser)

        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(60)
        self._fit_timer.timeout.connect(self.fit_images)

        self.headings: list[Heading] = []
        self.load(path)
        self._size_to_screen()

    # --- loading --------------------------------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self._path

    def load(self, path: Path) -> None:
        """Show the Markdown file ``path``; its pictures are read relative to its folder."""
        self._path = path
        folder = path.parent
        self.browser.setSearchPaths([str(folder)])
        document = self.browser.document()
        document.setBaseUrl(QUrl.fromLocalFile(str(folder) + "/"))
        self.browser.setMarkdown(path.read_text(encoding="utf-8"))
        self._image_sizes.clear()
        self.headings = self._read_headings()
        self._fill_toc()
        self.fit_images()
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)
        self.browser.verticalScrollBar().setValue(0)

    def _read_headings(self) -> list[Heading]:
        headings = []
        block = self.browser.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level:
                headings.append(Heading(level, block.text().strip(), block.blockNumber()))
            block = block.next()
        return headings

    def _fill_toc(self) -> None:
        self.toc.blockSignals(True)
        self.toc.clear()
        parent: QTreeWidgetItem | None = None
        for heading in self.headings:
            if heading.level > TOC_DEPTH:
                continue
            if heading.level <= 2 or parent is None:
                item = QTreeWidgetItem(self.toc, [heading.text])
                parent = item if heading.level == 2 else parent
            else:
                item = QTreeWidgetItem(parent, [heading.text])
            item.setData(0, Qt.ItemDataRole.UserRole, heading.block_number)
            item.setToolTip(0, heading.text)
        self.toc.expandAll()
        self.toc.blockSignals(False)

    def _size_to_screen(self) -> None:
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        width, height = 1200, 820
        if screen is not None:
            width = min(width, int(screen.width() * 0.92))
            height = min(height, int(screen.height() * 0.9))
        self.resize(width, height)
        self.splitter.setSizes([width // 4, width - width // 4])

    # --- pictures -------------------------------------------------------------------------------------------

    def image(self, name: str) -> QImage:
        """The picture ``name`` (as written in the manual) read from the manual's folder; null when missing."""
        if name not in self._image_sizes:
            resource = self.browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
            if isinstance(resource, QPixmap):
                image = resource.toImage()
            else:
                image = resource if isinstance(resource, QImage) else QImage()
            if image.isNull():
                image = QImage(str(self._path.parent / name))
            self._image_sizes[name] = image
        return self._image_sizes[name]

    def fit_images(self) -> None:
        """Shrink every picture wider than the text area to its width (never enlarge a small one)."""
        document = self.browser.document()
        room = max(self.browser.viewport().width() - 2 * int(document.documentMargin()) - _IMAGE_SLACK, 120)
        found = []
        block = document.begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if fragment.isValid() and fragment.charFormat().isImageFormat():
                    indent = _block_indent(block, document)
                    found.append(
                        (fragment.position(), fragment.length(), fragment.charFormat().toImageFormat(), indent)
                    )
                iterator += 1
            block = block.next()
        for position, length, image_format, indent in found:
            image = self.image(image_format.name())
            if image.isNull() or image.width() == 0:
                continue
            width = min(image.width(), max(room - indent, 120))
            if abs(image_format.width() - width) < 1:
                continue
            image_format.setWidth(width)
            image_format.setHeight(image.height() * width / image.width())
            cursor = QTextCursor(document)
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(image_format)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_timer.start()

    # --- moving about ---------------------------------------------------------------------------------------

    def go_to_heading(self, heading: Heading) -> None:
        """Scroll so that ``heading`` is at the top of the text."""
        document = self.browser.document()
        block = document.findBlockByNumber(heading.block_number)
        self.browser.setTextCursor(QTextCursor(block))
        top = document.documentLayout().blockBoundingRect(block).top()
        self.browser.verticalScrollBar().setValue(int(top))

    def _toc_item_chosen(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if item is None:
            return
        number = item.data(0, Qt.ItemDataRole.UserRole)
        heading = next((h for h in self.headings if h.block_number == number), None)
        if heading is not None:
            self.go_to_heading(heading)

    def _link_clicked(self, url: QUrl) -> None:
        """A link in the manual: its own 目录 jumps to the section; a web address opens in the browser."""
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        fragment = url.fragment()
        target = url.path()
        if target and not target.endswith("/"):
            other = (self._path.parent / Path(target).name) if not Path(target).is_absolute() else Path(target)
            if other.suffix == ".md" and other.is_file() and other != self._path:
                self.load(other)
        if fragment:
            wanted = heading_slug(fragment)
            heading = next((h for h in self.headings if heading_slug(h.text) == wanted), None)
            if heading is not None:
                self.go_to_heading(heading)

    # --- search ---------------------------------------------------------------------------------------------

    def focus_find(self) -> None:
        self.find_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_box.selectAll()

    def find_next(self) -> bool:
        return self._find(backward=False)

    def find_previous(self) -> bool:
        return self._find(backward=True)

    def _find(self, *, backward: bool) -> bool:
        text = self.find_box.text().strip()
        if not text:
            self.find_result.setText(self.tr("请先输入要找的字"))
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if self.browser.find(text, flags):
            self.find_result.setText("")
            return True
        # Not found after the cursor: start again from the other end (the way a notebook program searches).
        self.browser.moveCursor(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
        if self.browser.find(text, flags):
            self.find_result.setText(self.tr("已从头再找") if not backward else self.tr("已从末尾再找"))
            return True
        self.find_result.setText(self.tr("没有找到“%s”") % text)
        return False

    # --- text size ------------------------------------------------------------------------------------------

    @property
    def zoom_steps(self) -> int:
        return self._zoom_steps

    def zoom_in(self) -> None:
        if self._zoom_steps < 10:
            self.browser.zoomIn(2)
            self._zoom_steps += 1

    def zoom_out(self) -> None:
        if self._zoom_steps > -3:
            self.browser.zoomOut(2)
            self._zoom_steps -= 1

    # --- print and PDF --------------------------------------------------------------------------------------

    def save_pdf(self, out: Path) -> Path:
        """Write the manual (as shown, pictures included) to the PDF file ``out``."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setDocName(self._path.stem)
        self.browser.document().print_(printer)
        return out

    def _choose_pdf_file(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("把使用手册存为 PDF"),
            str(Path.home() / f"{self._path.stem}.pdf"),
            self.tr("PDF 文件 (*.pdf)"),
        )
        if name:
            out = self.save_pdf(Path(name))
            self.find_result.setText(self.tr("已存为 %s") % out.name)

    def print_manual(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("打印使用手册"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.browser.document().print_(printer)

    def _add_shortcut(self, keys: QKeySequence | QKeySequence.StandardKey, slot: object) -> None:
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
