"""缴费/票据 page (money page), driven by the keyboard only: collect for a queue, void, reissue, reprint, close the
day, print the unpaid list and the estimate. Printing goes to files; the PDFs are read back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pensiondesk.domain.codes import PersonStatus, ReceiptStatus
from pensiondesk.gui import errors, money_page
from pensiondesk.gui.money_page import MoneyPage
from pensiondesk.gui.qt import QApplication, QLineEdit, QMessageBox, Qt, QTimer, QWidget
from pensiondesk.services.receipts import open_book, register_book
from pensiondesk.services.recording import Actor
from pensiondesk.store.models import Contribution, DayClose, Person, Receipt

if TYPE_CHECKING:
    from .conftest import VillageDb

pytestmark = pytest.mark.gui

ACTOR = Actor("wanghong", display_name="王红")


class Printed(list[tuple[Path, str]]):
    """What the page sent to the printer: (PDF file, what it is)."""

    def __call__(self, path: Path, name: str) -> str:
        assert path.is_file() and path.stat().st_size > 1000
        self.append((path, name))
        return f"{name}已打印"

    def text(self, index: int = -1) -> str:
        return "\n".join(page.extract_text() for page in PdfReader(self[index][0]).pages)


@dataclass
class Confirmations:
    """The 确定要…吗？ questions the page asked (title, text), and the answer to give (True: 确定)."""

    answer: bool = True
    asked: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, _parent: object, title: str, text: str, *, yes: str | None = None) -> bool:
        self.asked.append((title, text))
        return self.answer


@pytest.fixture(autouse=True)
def confirmations(monkeypatch: pytest.MonkeyPatch) -> Confirmations:
    """Answers the confirmation before 作废 and 日结 without a dialog."""
    answers = Confirmations()
    monkeypatch.setattr(money_page, "confirm", answers)
    return answers


@pytest.fixture
def contributors(village_db: VillageDb) -> list[tuple[str, str]]:
    """(name, ID number) of contributing persons, youngest households last."""
    with village_db.session_factory() as s:
        rows = s.execute(
            select(Person.name, Person.id_number)
            .where(
                Person.status == PersonStatus.CONTRIBUTING,
                Person.birth_date > date(1967, 1, 1),
                Person.birth_date < date(2000, 1, 1),
            )
            .order_by(Person.id)
            .limit(5)
        ).all()
        book = register_book(s, ACTOR, series="HQ2026", start_no=1, end_no=100, issued_on=date.today())
        open_book(s, ACTOR, book.id)
    return [(name, number) for name, number in rows]


@pytest.fixture
def page(
    qtbot: QtBot, qapp: QApplication, village_db: VillageDb, contributors: list[tuple[str, str]], tmp_path: Path
) -> Iterator[MoneyPage]:
    printed = Printed()
    widget = MoneyPage(village_db.session_factory, ACTOR, tmp_path / "printouts", printer=printed)
    widget.printed = printed  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    yield widget


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_into_focus(qtbot: QtBot, text: str) -> None:
    """Type into the focused field: key presses for ASCII; Chinese arrives whole, as an input method commits it."""
    widget = focused()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        assert isinstance(widget, QLineEdit)
        widget.insert(text)


def key(qtbot: QtBot, code: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), code, modifier)
    if modifier == Qt.KeyboardModifier.AltModifier:
        qtbot.wait(250)  # a button's mnemonic "animates" the click: clicked comes about 100 ms later
    QApplication.processEvents()


def collect_by_keyboard(qtbot: QtBot, page: MoneyPage, id_text: str, downs: int = 0) -> None:
    """ID, Enter; ↓ × downs in the tier list; Enter; Enter (the amount as filled in)."""
    assert focused() is page.collect_tab.id_box
    type_into_focus(qtbot, id_text)
    key(qtbot, Qt.Key.Key_Return)
    assert focused() is page.collect_tab.tier_combo, page.collect_tab.message_label.text()
    for _ in range(downs):
        key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Return)
    assert focused() is page.collect_tab.amount_edit
    key(qtbot, Qt.Key.Key_Return)


def test_keyboard_only_collection_void_reprint_close_and_lists(
    qtbot: QtBot,
    page: MoneyPage,
    contributors: list[tuple[str, str]],
    village_db: VillageDb,
    confirmations: Confirmations,
) -> None:
    printed: Printed = page.printed  # type: ignore[attr-defined]
    collect = page.collect_tab
    assert collect.book_label.text() == "下一张收据：HQ2026-00000001（本册剩 100 张）"

    # 1. First villager: full ID, default tier (the lowest, 100) moved two down to 300, amount as due.
    name, number = contributors[0]
    collect_by_keyboard(qtbot, page, number, downs=2)
    assert "已收款" in collect.message_label.text() and "300 元档" in collect.message_label.text()
    assert printed[-1][1] == "收据 HQ2026-00000001"
    receipt_text = printed.text()
    assert "HQ2026  No. 00000001" in receipt_text and name in receipt_text and "人民币 叁佰元整" in receipt_text
    assert focused() is collect.id_box and collect.id_box.text() == ""  # ready for the next person

    # 2. Second villager by the tail of the ID (here its last 12 characters: unique in this village);
    #    the household and the quote are shown first.
    name2, number2 = contributors[1]
    type_into_focus(qtbot, number2[-12:])
    key(qtbot, Qt.Key.Key_Return)
    assert name2 in collect.person_label.text()
    assert collect.household.count() >= 1
    assert "记入个人账户" in collect.quote_label.text()
    assert collect.amount_edit.text() == "100.00"
    key(qtbot, Qt.Key.Key_Return)  # tier as offered
    key(qtbot, Qt.Key.Key_Return)  # amount as due
    assert printed[-1][1] == "收据 HQ2026-00000002"

    # 3. The same person again is refused, in words, and nothing is printed.
    type_into_focus(qtbot, number2)
    key(qtbot, Qt.Key.Key_Return)
    assert "已缴费" in collect.message_label.text() and "HQ2026-00000002" in collect.message_label.text()
    assert len(printed) == 2
    key(qtbot, Qt.Key.Key_Escape)
    assert focused() is collect.id_box and collect.id_box.text() == ""

    # 4. Void the last receipt (selected in today's list): Alt+Q reason, Alt+X void (Alt+V opens the 视图 menu).
    key(qtbot, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
    assert focused() is collect.void_reason
    type_into_focus(qtbot, "档次选错")
    key(qtbot, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    title, question = confirmations.asked[-1]
    assert title == "作废收据" and question.startswith("确定要作废收据 HQ2026-00000002 吗？")
    assert "作废后号码保留并标记“作废”，不能恢复" in question
    assert "已作废 HQ2026-00000002" in collect.message_label.text()
    with village_db.session_factory() as s:
        voided = s.scalar(select(Receipt).where(Receipt.number == 2))
        assert voided.status is ReceiptStatus.VOID and voided.void_reason == "档次选错"
        assert s.scalar(select(func.count()).select_from(Contribution).where(Contribution.reverses_id.is_not(None)))

    # 5. Reprint the first receipt: Alt+L to the list, ↑ to it, Alt+R.
    key(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    assert focused() is collect.today_table
    key(qtbot, Qt.Key.Key_Up)
    key(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert printed[-1][1] == "收据 HQ2026-00000001（重打 第1次）"
    assert printed.text().count("【重打 第1次】") == 3

    # 6. Close the day: Ctrl+3, the cash (300 valid), Enter; the handover sheet prints; the day is locked.
    key(qtbot, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentWidget() is page.close_tab and focused() is page.close_tab.cash_edit
    assert "有效收据 1 张，合计 300.00 元" in page.close_tab.summary_label.text()
    type_into_focus(qtbot, "290")
    key(qtbot, Qt.Key.Key_Return)
    assert "少 10.00 元，请说明原因" in page.close_tab.message_label.text()
    assert focused() is page.close_tab.note_edit
    type_into_focus(qtbot, "找零多找 10 元")
    assert page.close_tab.cash_edit.text() == "290"  # the cash typed before is still there
    key(qtbot, Qt.Key.Key_Return)
    title, question = confirmations.asked[-1]
    assert title == "日结" and question.startswith(f"确定要日结 {date.today().isoformat()} 吗？")
    assert "有效收据 1 张，合计 300.00 元；实交现金 290.00 元，少 10.00 元" in question
    assert "不能撤销" in question
    assert "已日结" in page.close_tab.message_label.text()
    assert printed[-1][1] == "交款单"
    handover = printed.text()
    assert "票款结报交款单" in handover and "找零多找 10 元" in handover and "HQ2026-00000002" in handover
    with village_db.session_factory() as s:
        close = s.scalar(select(DayClose))
        assert (close.receipts_total_fen, close.cash_handed_fen, close.void_count) == (300_00, 290_00, 1)

    # 7. Back to 收款: a closed day takes no more receipts.
    key(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert focused() is collect.id_box
    type_into_focus(qtbot, contributors[2][1])
    key(qtbot, Qt.Key.Key_Return)
    key(qtbot, Qt.Key.Key_Return)
    key(qtbot, Qt.Key.Key_Return)
    assert "已日结" in collect.message_label.text()
    assert printed[-1][1] == "交款单"  # nothing new printed

    # 8. The unpaid list: Ctrl+4, Alt+P prints it.
    key(qtbot, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert page.unpaid_tab.table.rowCount() > 0
    assert "已缴 1 人" in page.unpaid_tab.summary_label.text()
    key(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert printed[-1][1] == "催缴名单"
    unpaid = printed.text()
    assert "未缴费人员名单" in unpaid and name2 in unpaid and name not in unpaid

    # 9. 算账: Ctrl+5, an ID, Enter, Alt+P.
    key(qtbot, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert focused() is page.estimate_tab.id_edit
    type_into_focus(qtbot, number2)
    key(qtbot, Qt.Key.Key_Return)
    assert page.estimate_tab.table.rowCount() == 12
    key(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert printed[-1][1] == "算账表" and "缴费档次测算表" in printed.text()


def test_cancelled_void_and_close_change_nothing(
    qtbot: QtBot,
    page: MoneyPage,
    contributors: list[tuple[str, str]],
    village_db: VillageDb,
    confirmations: Confirmations,
) -> None:
    printed: Printed = page.printed  # type: ignore[attr-defined]
    collect = page.collect_tab
    collect_by_keyboard(qtbot, page, contributors[0][1])
    assert printed[-1][1] == "收据 HQ2026-00000001"
    confirmations.answer = False

    # 作废 without a reason asks nothing: the reason comes first.
    key(qtbot, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    assert not confirmations.asked and focused() is collect.void_reason
    assert "作废原因" in collect.message_label.text()

    # 作废 and 换开, answered 取消: the receipt stays issued, nothing is reversed or printed.
    type_into_focus(qtbot, "档次选错")
    key(qtbot, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    key(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    assert [title for title, _ in confirmations.asked] == ["作废收据", "作废收据"]
    assert "并换开新收据" in confirmations.asked[-1][1]
    assert "没有作废" in collect.message_label.text()
    assert collect.void_reason.text() == "档次选错"  # kept for a second try
    assert len(printed) == 1

    # 日结, answered 取消: the day stays open and the cash typed stays in its box.
    key(qtbot, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    type_into_focus(qtbot, "100")
    key(qtbot, Qt.Key.Key_Return)
    assert confirmations.asked[-1][0] == "日结"
    assert "没有日结" in page.close_tab.message_label.text()
    assert page.close_tab.cash_edit.text() == "100" and page.close_tab.close_button.isEnabled()
    assert len(printed) == 1
    with village_db.session_factory() as s:
        receipt = s.scalar(select(Receipt).where(Receipt.number == 1))
        assert receipt.status is ReceiptStatus.ISSUED and receipt.void_reason is None
        assert receipt.day_close_id is None
        assert s.scalar(select(func.count()).select_from(DayClose)) == 0
        assert not s.scalar(select(func.count()).select_from(Contribution).where(Contribution.reverses_id.is_not(None)))


def _answer_next_dialog(qtbot: QtBot, key_code: Qt.Key, modifier: Qt.KeyboardModifier, seen: list[str]) -> None:
    """Once the confirmation is up, note its default button and press a key in it."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isActiveWindow():  # mnemonics need the active window
            if isinstance(box, QMessageBox):
                box.activateWindow()
            QTimer.singleShot(20, press)
            return
        default = box.defaultButton()
        seen.append(default.text() if default is not None else "")
        qtbot.keyClick(box, key_code, modifier)
        QTimer.singleShot(3000, box, lambda: give_up(box))  # cancelled with the box

    def give_up(box: QMessageBox) -> None:
        if box.isVisible():  # the key did nothing: close it so the test fails instead of hanging
            seen.append("still open")
            box.reject()

    QTimer.singleShot(0, press)


@pytest.mark.parametrize(
    ("key_code", "modifier", "confirmed"),
    [
        (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, False),  # Enter is 取消, the default button
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier, False),
        (Qt.Key.Key_Y, Qt.KeyboardModifier.NoModifier, True),
        (Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier, True),
    ],
)
def test_the_confirmation_needs_y_not_enter(
    qtbot: QtBot, qapp: QApplication, key_code: Qt.Key, modifier: Qt.KeyboardModifier, confirmed: bool
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    seen: list[str] = []
    _answer_next_dialog(qtbot, key_code, modifier, seen)
    answer = errors.confirm(parent, "作废收据", "确定要作废收据 HQ2026-00000001 吗？", yes="作废(&Y)")
    assert seen == ["取消(&N)"]
    assert answer is confirmed


def test_books_tab_registers_and_reconciles(qtbot: QtBot, page: MoneyPage, contributors: list[tuple[str, str]]) -> None:
    key(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    books = page.books_tab
    assert books.books_table.rowCount() == 1
    key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.AltModifier)
    assert focused() is books.series_edit
    type_into_focus(qtbot, "hq2027")
    key(qtbot, Qt.Key.Key_Tab)
    type_into_focus(qtbot, "1")
    key(qtbot, Qt.Key.Key_Tab)
    type_into_focus(qtbot, "50")
    key(qtbot, Qt.Key.Key_Return)
    assert "已登记票据本 HQ2027 1–50" in books.message_label.text()
    assert books.books_table.rowCount() == 2
    # An overlapping range is refused in words.
    books.series_edit.setText("HQ2027")
    books.start_edit.setText("40")
    books.end_edit.setText("60")
    books.add_book()
    assert "重叠" in books.message_label.text()
    # Reconcile the open book (first row).
    books.books_table.selectRow(0)
    books.books_table.setFocus()
    key(qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert "未使用 100 张：1–100" in books.report.toPlainText()
    # Overlay calibration: save an offset and print the test page.
    books.x_edit.setText("1.5")
    books.y_edit.setText("-2")
    books.save_offset()
    assert "水平 1.5 毫米，垂直 -2.0 毫米" in books.message_label.text()
    books.print_test_page()
    printed: Printed = page.printed  # type: ignore[attr-defined]
    assert printed[-1][1] == "套打校准页" and "当前偏移：水平 1.5 毫米" in printed.text()


def test_closing_writing_off_and_reporting_lost_ask_first(
    qtbot: QtBot, page: MoneyPage, village_db: VillageDb, confirmations: Confirmations
) -> None:
    """结本, 核销 and 遗失登记 cannot be undone: each asks with the counts; 取消 changes nothing."""
    from pensiondesk.services.receipts import close_day, list_books

    def status() -> tuple[str, int, int]:
        with village_db.session_factory() as s:
            (row,) = [r for r in list_books(s) if r.book.series == "HQ2026"]
            return row.book.status.value, row.lost, row.unused

    books = page.books_tab
    page.tabs.setCurrentWidget(books)
    books.books_table.selectRow(0)
    books.lost_edit.setText("7")
    books.reason_edit.setText("放在抽屉里找不到了")
    confirmations.answer = False
    qtbot.mouseClick(books.lost_button, Qt.MouseButton.LeftButton)
    title, question = confirmations.asked[-1]
    assert title == "遗失登记" and question.startswith("确定要把空白票据 HQ2026-7 登记为遗失吗？")
    assert "不能撤销" in question and "没有登记遗失" in books.message_label.text()
    assert status() == ("open", 0, 100)
    confirmations.answer = True
    qtbot.mouseClick(books.lost_button, Qt.MouseButton.LeftButton)
    assert "已登记遗失" in books.message_label.text() and status()[1:] == (1, 99)

    # 结本 before the last number: the reason is asked for first, then the confirmation with the counts.
    books.books_table.selectRow(0)
    books.reason_edit.clear()
    asked = len(confirmations.asked)
    qtbot.mouseClick(books.close_button, Qt.MouseButton.LeftButton)
    assert len(confirmations.asked) == asked and "写明原因" in books.message_label.text()
    books.reason_edit.setText("年度结束，剩余号码缴回")
    confirmations.answer = False
    qtbot.mouseClick(books.close_button, Qt.MouseButton.LeftButton)
    title, question = confirmations.asked[-1]
    assert title == "结本" and question.startswith("确定要结本票据本 HQ2026 1–100 吗？")
    assert "已开具 0 张（合计 0.00 元），作废 0 张，遗失 1 张，未使用 99 张" in question
    assert "没有结本" in books.message_label.text() and status()[0] == "open"
    confirmations.answer = True
    qtbot.mouseClick(books.close_button, Qt.MouseButton.LeftButton)
    assert status()[0] == "closed"
    with village_db.session_factory() as s:  # the lost number is the day's only entry: 日结 with no cash
        close_day(s, ACTOR, date.today(), 0, today=date.today())
        s.commit()

    books.books_table.selectRow(
        next(r for r in range(books.books_table.rowCount()) if books.books_table.item(r, 0).text() == "HQ2026")
    )
    confirmations.answer = False
    qtbot.mouseClick(books.write_off_button, Qt.MouseButton.LeftButton)
    title, question = confirmations.asked[-1]
    assert title == "核销" and "HQ2026 1–100" in question and "不能撤销" in question
    assert status()[0] == "closed"
    confirmations.answer = True
    qtbot.mouseClick(books.write_off_button, Qt.MouseButton.LeftButton)
    assert status()[0] == "written_off", books.message_label.text()


def test_refusals_never_show_tracebacks(qtbot: QtBot, page: MoneyPage, village_db: VillageDb) -> None:
    collect = page.collect_tab
    type_into_focus(qtbot, "110105194912310025")  # wrong check character
    key(qtbot, Qt.Key.Key_Return)
    assert "校验码错误" in collect.message_label.text()
    collect.id_box.clear()
    type_into_focus(qtbot, "99999999")
    key(qtbot, Qt.Key.Key_Return)
    assert "本村没有" in collect.message_label.text()
    with village_db.session_factory() as s:
        pensioner = s.scalar(select(Person.id_number).where(Person.status == PersonStatus.RECEIVING).limit(1))
    collect.id_box.clear()
    type_into_focus(qtbot, pensioner)
    key(qtbot, Qt.Key.Key_Return)
    assert "已按月领取待遇" in collect.message_label.text()
    assert "Traceback" not in collect.message_label.text()


def test_an_ambiguous_tail_offers_a_choice(qtbot: QtBot, page: MoneyPage, village_db: VillageDb) -> None:
    collect = page.collect_tab
    with village_db.session_factory() as s:
        tails = s.execute(
            select(func.substr(Person.id_number, 15, 4), func.count())
            .where(Person.status == PersonStatus.CONTRIBUTING, Person.birth_date > date(1967, 1, 1))
            .group_by(func.substr(Person.id_number, 15, 4))
            .having(func.count() > 1)
        ).first()
    assert tails is not None
    type_into_focus(qtbot, tails[0])
    key(qtbot, Qt.Key.Key_Return)
    assert collect.matches.isVisible() and collect.matches.count() >= 2
    assert focused() is collect.matches
    assert "请用 ↑↓ 选择后按回车" in collect.message_label.text()
    key(qtbot, Qt.Key.Key_Down)
    chosen = collect.matches.currentItem().text().split("　")[0]
    key(qtbot, Qt.Key.Key_Return)
    assert chosen in collect.person_label.text()
