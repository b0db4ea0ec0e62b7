"""Receipt books, receipts and the daily close (票据本、票据、日结) — domain.md §13.

Rules this module enforces, each in the caller's transaction with its audit entry and outbox row written through
:func:`~pensiondesk.services.recording.record_change`:

* **Receipt books (票据本)** are ranges of numbers issued by the county to one collector (收款员), entered by
  hand for now (``from_county`` false) and delivered by sync later. Ranges of one series (字轨) never overlap. A
  book is *issued* (已领用), then *opened* (使用中) — **one open book at a time per collector** — used up or
  closed early (已用完/结本, the unused numbers are returned to the county), reconciled (对账) and written off
  (核销).
* **Numbers are used strictly in order** within the open book: each receipt takes the book's next number
  (``next_no``); numbers already reported lost or spoiled ahead of it are stepped over, never reused. When the
  last number is used the book closes itself.
* **A voided receipt keeps its number** (作废) with the reason; all copies are kept. Voiding a receipt of a
  contribution either reverses that contribution (the money goes back: 冲正, the default) or, with
  ``reissue=True``, keeps the contribution and issues the next number for it (换开, e.g. a jammed printer). A
  blank number can be spoiled (作废空白票) or reported lost (遗失) so that it too is accounted for.
* **Reprints are counted** (重打): the first print of a receipt is recorded in the audit log only; every later
  print raises ``reprint_count`` and the copy is marked “重打 第N次”.
* **The daily close (日结 / 票款结报)** compares the day's issued receipts with the cash the collector hands over;
  any difference must be explained. **A closed day is locked**: no receipt can be issued, voided or reported
  lost with that date for that collector. Reversing a cash contribution whose receipt lies in a closed day is
  refused: the money has been handed over, so a refund goes through the county (退费).
* Every number of every book is accounted for exactly once: a number below ``next_no`` has exactly one receipt
  row (issued, void or lost); a number at or above it has none, or a void/lost blank row.

The receipt verification code (收据防伪码) is signed with the database's key (:func:`receipt_signing_key`),
kept in the ``setting`` table; see :mod:`pensiondesk.domain.receipt_signature`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import PayerKind, ReceiptBookStatus, ReceiptStatus, UserRole
from pensiondesk.domain.masking import mask_id_number
from pensiondesk.domain.money import format_yuan
from pensiondesk.domain.receipt_signature import ReceiptSummary, key_id_of, sign_receipt
from pensiondesk.services.people_types import Problem, ServiceError
from pensiondesk.services.recording import Actor, record_change, snapshot
from pensiondesk.store.models import (
    AuditEntry,
    Contribution,
    DayClose,
    Person,
    Receipt,
    ReceiptBook,
    Setting,
    Township,
    User,
    Village,
    VillagerGroup,
    utcnow,
)

__all__ = [
    "MAX_BOOK_SIZE",
    "OVERLAY_MODE_KEY",
    "OVERLAY_OFFSET_KEY",
    "SIGNING_KEY_SETTING",
    "BookReconciliation",
    "BookRow",
    "DayLine",
    "DaySummary",
    "OverlayOffset",
    "ReceiptPrint",
    "VoidResult",
    "close_book",
    "close_day",
    "day_summary",
    "find_book",
    "find_receipt",
    "is_day_closed",
    "issue_receipt",
    "list_books",
    "open_book",
    "open_book_of",
    "overlay_mode",
    "overlay_offset",
    "print_receipt",
    "receipt_label",
    "receipt_print_data",
    "receipt_signing_key",
    "receipts_of_book",
    "reconcile_book",
    "register_book",
    "report_lost",
    "set_overlay_mode",
    "set_overlay_offset",
    "unclosed_days",
    "void_receipt",
    "write_off_book",
]

#: Largest book accepted (numbers per book); county books hold 50–500, this only catches typing errors.
MAX_BOOK_SIZE = 100_000
#: Setting holding the receipt signing key: {"key_id": "7F3A09C2", "key": "<64 hex digits>"}.
SIGNING_KEY_SETTING = "receipt.signing_key"
#: Setting holding the overlay (套打) calibration: {"x_mm": "1.5", "y_mm": "-2"} (decimal strings).
OVERLAY_OFFSET_KEY = "receipt.overlay_offset_mm"
#: Setting holding whether receipts print as an overlay (套打): true / false.
OVERLAY_MODE_KEY = "receipt.overlay_mode"
#: Receipt numbers are printed with at least this many digits (HQ2026-00000123).
NUMBER_DIGITS = 8
_SERIES = re.compile(r"[A-Z0-9][A-Z0-9-]{0,31}")
_REASON_MAX = 200
_MAX_OFFSET_MM = Decimal(30)


def _today(on: date | None) -> date:
    return on or date.today()


def _refuse(message: str, field_name: str = "") -> ServiceError:
    return ServiceError([Problem(field_name, message)])


def receipt_label(series: str, number: int) -> str:
    """How a receipt number is written and typed: 字轨-号码, e.g. ``HQ2026-00000123``."""
    return f"{series}-{number:0{NUMBER_DIGITS}d}"


def _clean_reason(reason: str | None, what: str) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise _refuse(f"请填写{what}", "reason")
    if len(text) > _REASON_MAX:
        raise _refuse(f"{what}最多 {_REASON_MAX} 个字", "reason")
    return text


# --- books ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BookRow:
    """A receipt book as listed on the 票据本 page."""

    book: ReceiptBook
    issued: int
    void: int
    lost: int
    issued_total_fen: int

    @property
    def unused(self) -> int:
        return self.book.end_no - self.book.start_no + 1 - self.issued - self.void - self.lost

    @property
    def range_label(self) -> str:
        return f"{receipt_label(self.book.series, self.book.start_no)} 至 {self.book.end_no:0{NUMBER_DIGITS}d}"


def register_book(
    session: Session,
    actor: Actor,
    *,
    series: str,
    start_no: int,
    end_no: int,
    collector: str | None = None,
    issued_on: date | None = None,
    from_county: bool = False,
) -> ReceiptBook:
    """登记票据本: record a book of numbers the county issued to ``collector`` (default: the actor).

    The series is written in capitals, digits and hyphens (it goes into the verification code); the range must
    not overlap another book of the same series.
    """
    problems: list[Problem] = []
    code = series.strip().upper()
    if not _SERIES.fullmatch(code):
        problems.append(Problem("series", "票据字轨只能由字母、数字和短横线组成（例如 HQ2026），最多 32 位"))
    if start_no < 1:
        problems.append(Problem("start_no", "起始号码必须大于 0"))
    if end_no < start_no:
        problems.append(Problem("end_no", "终止号码不能小于起始号码"))
    elif end_no - start_no + 1 > MAX_BOOK_SIZE:
        problems.append(Problem("end_no", f"一本票据最多 {MAX_BOOK_SIZE} 个号码，请检查起止号码"))
    holder = (collector or actor.username).strip()
    if not holder:
        problems.append(Problem("collector", "请填写领用人（收款员）"))
    if problems:
        raise ServiceError(problems)
    overlap = session.scalar(
        select(ReceiptBook).where(
            ReceiptBook.series == code, ReceiptBook.start_no <= end_no, ReceiptBook.end_no >= start_no
        )
    )
    if overlap is not None:
        raise _refuse(
            f"号码段与已登记的票据本 {receipt_label(overlap.series, overlap.start_no)}–"
            f"{overlap.end_no:0{NUMBER_DIGITS}d} 重叠，同一字轨的号码不能重复",
            "start_no",
        )
    book = ReceiptBook(
        series=code,
        start_no=start_no,
        end_no=end_no,
        collector=holder,
        issued_on=_today(issued_on),
        status=ReceiptBookStatus.ISSUED,
        next_no=start_no,
        from_county=from_county,
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(book)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="receipt_book.register",
        entity_type="receipt_book",
        entity_id=book.id,
        before=None,
        after=snapshot(book),
    )
    return book


def open_book_of(session: Session, collector: str) -> ReceiptBook | None:
    """The collector's book in use (使用中), if any."""
    return session.scalar(
        select(ReceiptBook).where(ReceiptBook.collector == collector, ReceiptBook.status == ReceiptBookStatus.OPEN)
    )


def find_book(session: Session, ref: str) -> ReceiptBook:
    """The book ``ref`` names: its id, its series alone (when only one book has it), or ``SERIES-N`` for the book
    of that series holding number N (e.g. its first number, ``HQ2026-1001``).
    """
    text = "".join(ref.split())
    book = session.get(ReceiptBook, text)
    if book is not None:
        return book
    upper = text.upper()
    books = session.scalars(select(ReceiptBook).where(ReceiptBook.series == upper)).all()
    if len(books) == 1:
        return books[0]
    if len(books) > 1:
        raise _refuse(f"字轨 {upper} 有 {len(books)} 本票据，请写成 字轨-起始号码，例如 {upper}-{books[0].start_no}")
    series, _, number = upper.rpartition("-")
    if series and number.isdigit():
        found = session.scalar(
            select(ReceiptBook).where(
                ReceiptBook.series == series, ReceiptBook.start_no <= int(number), ReceiptBook.end_no >= int(number)
            )
        )
        if found is not None:
            return found
    raise _refuse(f"找不到票据本“{ref}”")


def _book(session: Session, book_id: str) -> ReceiptBook:
    book = session.get(ReceiptBook, book_id)
    if book is None:
        raise _refuse("找不到这本票据")
    return book


def _book_label(book: ReceiptBook) -> str:
    return f"{receipt_label(book.series, book.start_no)}–{book.end_no:0{NUMBER_DIGITS}d}"


def _check_holder(actor: Actor, collector: str, what: str) -> None:
    if actor.username != collector and actor.role is not UserRole.ADMIN:
        raise _refuse(f"{what}属于收款员“{collector}”，只能由本人或管理员办理")


def open_book(session: Session, actor: Actor, book_id: str) -> ReceiptBook:
    """启用票据本: start using an issued book. A collector has one open book at a time."""
    book = _book(session, book_id)
    _check_holder(actor, book.collector, "这本票据")
    if book.status is not ReceiptBookStatus.ISSUED:
        raise _refuse(f"票据本 {_book_label(book)} 的状态是“{book.status.label}”，只有已领用未启用的票据本可以启用")
    current = open_book_of(session, book.collector)
    if current is not None:
        raise _refuse(
            f"收款员“{book.collector}”正在使用票据本 {_book_label(current)}；一次只能使用一本，请先用完或结本"
        )
    before = snapshot(book)
    book.status = ReceiptBookStatus.OPEN
    book.updated_by = actor.username
    record_change(
        session,
        actor=actor,
        action="receipt_book.open",
        entity_type="receipt_book",
        entity_id=book.id,
        before=before,
        after=snapshot(book),
    )
    return book


def close_book(session: Session, actor: Actor, book_id: str, reason: str | None = None) -> ReceiptBook:
    """结本: stop using a book. Closing before the last number needs a reason; the unused numbers go back."""
    book = _book(session, book_id)
    _check_holder(actor, book.collector, "这本票据")
    if book.status not in (ReceiptBookStatus.ISSUED, ReceiptBookStatus.OPEN):
        raise _refuse(f"票据本 {_book_label(book)} 已经是“{book.status.label}”状态")
    note = None
    if book.next_no <= book.end_no:
        note = _clean_reason(reason, "提前结本的原因（例如：年度结束，剩余号码缴回县社保局）")
    before = snapshot(book)
    book.status = ReceiptBookStatus.CLOSED
    book.closed_at = utcnow()
    book.updated_by = actor.username
    record_change(
        session,
        actor=actor,
        action="receipt_book.close",
        entity_type="receipt_book",
        entity_id=book.id,
        before=before,
        after=snapshot(book),
        reason=note,
    )
    return book


def list_books(session: Session, collector: str | None = None) -> list[BookRow]:
    """Every book (or one collector's), open ones first, with its counts."""
    query = select(ReceiptBook)
    if collector is not None:
        query = query.where(ReceiptBook.collector == collector)
    books = session.scalars(query).all()
    counts: dict[tuple[str, ReceiptStatus], tuple[int, int]] = {}
    rows = session.execute(
        select(Receipt.book_id, Receipt.status, func.count(), func.coalesce(func.sum(Receipt.amount_fen), 0)).group_by(
            Receipt.book_id, Receipt.status
        )
    )
    for book_id, status, count, total in rows:
        counts[(book_id, status)] = (int(count), int(total))
    order = {
        ReceiptBookStatus.OPEN: 0,
        ReceiptBookStatus.ISSUED: 1,
        ReceiptBookStatus.CLOSED: 2,
        ReceiptBookStatus.WRITTEN_OFF: 3,
    }
    result = [
        BookRow(
            book=book,
            issued=counts.get((book.id, ReceiptStatus.ISSUED), (0, 0))[0],
            void=counts.get((book.id, ReceiptStatus.VOID), (0, 0))[0],
            lost=counts.get((book.id, ReceiptStatus.LOST), (0, 0))[0],
            issued_total_fen=counts.get((book.id, ReceiptStatus.ISSUED), (0, 0))[1],
        )
        for book in books
    ]
    result.sort(key=lambda row: (order[row.book.status], row.book.series, row.book.start_no))
    return result


def receipts_of_book(session: Session, book_id: str) -> list[Receipt]:
    """The receipt rows of a book in number order."""
    return list(session.scalars(select(Receipt).where(Receipt.book_id == book_id).order_by(Receipt.number)))


@dataclass(frozen=True)
class BookReconciliation:
    """对账: where every number of a book went, and what does not add up (``problems``, empty when balanced)."""

    book: ReceiptBook
    issued: list[int]
    void: list[int]
    lost: list[int]
    unused: list[tuple[int, int]]  # ranges (first, last) of numbers never used
    issued_total_fen: int
    unclosed_days: list[date]
    problems: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return not self.problems

    @property
    def unused_count(self) -> int:
        return sum(last - first + 1 for first, last in self.unused)


def _ranges(numbers: Sequence[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for number in numbers:
        if ranges and ranges[-1][1] == number - 1:
            ranges[-1] = (ranges[-1][0], number)
        else:
            ranges.append((number, number))
    return ranges


def reconcile_book(session: Session, book_id: str) -> BookReconciliation:
    """对账: account for every number of the book: issued, void, lost or unused, each exactly once."""
    book = _book(session, book_id)
    receipts = receipts_of_book(session, book_id)
    problems: list[str] = []
    by_number: dict[int, Receipt] = {}
    for receipt in receipts:
        if receipt.number in by_number:
            problems.append(f"号码 {receipt.number} 出现了两次")
        if not book.start_no <= receipt.number <= book.end_no or receipt.series != book.series:
            problems.append(f"收据 {receipt_label(receipt.series, receipt.number)} 不在本票据本的号码段内")
        by_number[receipt.number] = receipt
    unused: list[int] = []
    for number in range(book.start_no, book.end_no + 1):
        used = by_number.get(number)
        if used is None:
            if number < book.next_no:
                problems.append(f"号码 {number} 已跳过却没有记录（既未开具、也未作废或登记遗失）")
            unused.append(number)
        elif number >= book.next_no and used.status is ReceiptStatus.ISSUED:
            problems.append(f"号码 {number} 已开具，但票据本的下一个号码仍是 {book.next_no}")
    statuses: dict[ReceiptStatus, list[int]] = {status: [] for status in ReceiptStatus}
    for receipt in receipts:
        statuses[receipt.status].append(receipt.number)
    days = sorted({receipt.day for receipt in receipts})
    closed = set(
        session.scalars(select(DayClose.day).where(DayClose.collector == book.collector, DayClose.day.in_(days)))
    )
    open_days = [day for day in days if day not in closed]
    if open_days:
        problems.append("以下日期尚未日结：" + "、".join(day.isoformat() for day in open_days))
    return BookReconciliation(
        book=book,
        issued=statuses[ReceiptStatus.ISSUED],
        void=statuses[ReceiptStatus.VOID],
        lost=statuses[ReceiptStatus.LOST],
        unused=_ranges(unused),
        issued_total_fen=sum(r.amount_fen for r in receipts if r.status is ReceiptStatus.ISSUED),
        unclosed_days=open_days,
        problems=problems,
    )


def write_off_book(session: Session, actor: Actor, book_id: str) -> BookReconciliation:
    """核销: record that a closed, balanced book whose days are all closed has been written off."""
    book = _book(session, book_id)
    if book.status is not ReceiptBookStatus.CLOSED:
        raise _refuse(f"票据本 {_book_label(book)} 尚未结本（当前状态：{book.status.label}），不能核销")
    result = reconcile_book(session, book_id)
    if not result.balanced:
        raise _refuse("票据本对账不平，不能核销：" + "；".join(result.problems))
    before = snapshot(book)
    book.status = ReceiptBookStatus.WRITTEN_OFF
    book.updated_by = actor.username
    record_change(
        session,
        actor=actor,
        action="receipt_book.write_off",
        entity_type="receipt_book",
        entity_id=book.id,
        before=before,
        after=snapshot(book),
        reason=(
            f"开具 {len(result.issued)} 张，合计 {format_yuan(result.issued_total_fen)} 元；"
            f"作废 {len(result.void)} 张；遗失 {len(result.lost)} 张；未使用 {result.unused_count} 张"
        ),
    )
    return result


# --- the day lock --------------------------------------------------------------------------------------------------


def is_day_closed(session: Session, day: date, collector: str) -> bool:
    """True once the collector's day has been closed (日结): the day is locked."""
    return session.scalar(select(DayClose.id).where(DayClose.day == day, DayClose.collector == collector)) is not None


def _check_day_open(session: Session, day: date, collector: str) -> None:
    if is_day_closed(session, day, collector):
        raise _refuse(
            f"{day.isoformat()} 已日结（收款员 {collector}），当天的票据已锁定，不能再开具、作废或登记遗失", "day"
        )


# --- issuing -------------------------------------------------------------------------------------------------------


def _taken_numbers(session: Session, book: ReceiptBook, start: int) -> set[int]:
    return set(
        session.scalars(select(Receipt.number).where(Receipt.book_id == book.id, Receipt.number >= start).limit(10_000))
    )


def _advance(session: Session, book: ReceiptBook, used: int) -> None:
    """Move ``next_no`` past ``used`` and past any blank numbers already spoiled or lost; close a used-up book."""
    taken = _taken_numbers(session, book, used + 1)
    following = used + 1
    while following in taken:
        following += 1
    book.next_no = min(following, book.end_no + 1)
    if book.next_no > book.end_no and book.status is ReceiptBookStatus.OPEN:
        book.status = ReceiptBookStatus.CLOSED
        book.closed_at = utcnow()


def issue_receipt(
    session: Session, actor: Actor, contribution: Contribution, *, amount_fen: int, on: date | None = None
) -> Receipt:
    """开具收据: the next number of the actor's open book for a cash contribution, dated ``on``.

    Used by the collection use cases (``services.contributions``); refuses a closed day and a collector without an
    open book.
    """
    day = _today(on)
    collector = actor.username
    _check_day_open(session, day, collector)
    book = open_book_of(session, collector)
    if book is None:
        raise _refuse("没有正在使用的票据本：请先在“票据本”页登记并启用县社保局发放的票据本", "book")
    taken = _taken_numbers(session, book, book.next_no)
    number = book.next_no
    while number in taken:
        number += 1
    if number > book.end_no:
        raise _refuse(f"票据本 {_book_label(book)} 的号码已用完，请结本后启用下一本", "book")
    book_before = snapshot(book)
    receipt = Receipt(
        book_id=book.id,
        series=book.series,
        number=number,
        contribution_id=contribution.id,
        day=day,
        amount_fen=amount_fen,
        collector=collector,
        status=ReceiptStatus.ISSUED,
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(receipt)
    _advance(session, book, number)
    book.updated_by = actor.username
    session.flush()
    record_change(
        session,
        actor=actor,
        action="receipt.issue",
        entity_type="receipt",
        entity_id=receipt.id,
        before=None,
        after=snapshot(receipt),
    )
    record_change(
        session,
        actor=actor,
        action="receipt_book.use" if book.status is ReceiptBookStatus.OPEN else "receipt_book.used_up",
        entity_type="receipt_book",
        entity_id=book.id,
        before=book_before,
        after=snapshot(book),
    )
    return receipt


# --- finding a receipt ---------------------------------------------------------------------------------------------


def _parse_ref(ref: str) -> tuple[str | None, int]:
    text = "".join(ref.split()).upper().removeprefix("NO.").removeprefix("NO")
    series, _, number = text.rpartition("-")
    if not number.isdigit():
        raise _refuse(f"“{ref}”不是票据号码：请写成 字轨-号码（例如 HQ2026-00000123）或只写号码", "number")
    return (series or None), int(number)


def _locate(session: Session, ref: str) -> tuple[ReceiptBook, int, Receipt | None]:
    """The book, number and receipt row (if any) that ``ref`` (``HQ2026-123`` or ``123``) names."""
    series, number = _parse_ref(ref)
    query = select(ReceiptBook).where(ReceiptBook.start_no <= number, ReceiptBook.end_no >= number)
    if series is not None:
        query = query.where(ReceiptBook.series == series)
    books = session.scalars(query).all()
    if not books:
        raise _refuse(f"没有包含号码“{ref}”的票据本", "number")
    if len(books) > 1:
        names = "、".join(book.series for book in books)
        raise _refuse(f"号码 {number} 在多本票据中都有（字轨 {names}），请写明字轨，例如 {books[0].series}-{number}")
    book = books[0]
    receipt = session.scalar(select(Receipt).where(Receipt.series == book.series, Receipt.number == number))
    return book, number, receipt


def find_receipt(session: Session, ref: str) -> Receipt:
    """The receipt that ``ref`` names; :class:`ServiceError` when the number was never used."""
    book, number, receipt = _locate(session, ref)
    if receipt is None:
        raise _refuse(f"票据 {receipt_label(book.series, number)} 尚未使用", "number")
    return receipt


# --- void, lost ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoidResult:
    """What voiding did: the voided receipt, the reversal (冲正) if money went back, the new receipt if reissued."""

    receipt: Receipt
    reversal: Contribution | None = None
    reissued: Receipt | None = None


def _blank(
    session: Session, actor: Actor, book: ReceiptBook, number: int, status: ReceiptStatus, reason: str, day: date
) -> Receipt:
    """A void or lost row for a number that was never used."""
    _check_holder(actor, book.collector, "这本票据")
    if book.status not in (ReceiptBookStatus.ISSUED, ReceiptBookStatus.OPEN):
        raise _refuse(f"票据本 {_book_label(book)} 已{book.status.label}，不能再登记")
    if number < book.next_no:
        raise _refuse(f"号码 {number} 已经用过，请按已开具的票据办理")
    _check_day_open(session, day, book.collector)
    book_before = snapshot(book)
    receipt = Receipt(
        book_id=book.id,
        series=book.series,
        number=number,
        contribution_id=None,
        day=day,
        amount_fen=0,
        collector=book.collector,
        status=status,
        void_reason=reason,
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(receipt)
    session.flush()
    action = "receipt.void_blank" if status is ReceiptStatus.VOID else "receipt.lost"
    record_change(
        session,
        actor=actor,
        action=action,
        entity_type="receipt",
        entity_id=receipt.id,
        before=None,
        after=snapshot(receipt),
        reason=reason,
    )
    if number == book.next_no:
        _advance(session, book, number)
        book.updated_by = actor.username
        record_change(
            session,
            actor=actor,
            action="receipt_book.use",
            entity_type="receipt_book",
            entity_id=book.id,
            before=book_before,
            after=snapshot(book),
        )
    return receipt


def void_receipt(
    session: Session, actor: Actor, ref: str, reason: str, *, reissue: bool = False, on: date | None = None
) -> VoidResult:
    """作废: mark receipt ``ref`` void with ``reason``; the number stays, marked 作废.

    For a receipt of a contribution, the default also reverses the contribution (冲正: the money goes back to the
    payer). ``reissue=True`` keeps the contribution and issues the next number for it (换开). A number never used
    is spoiled as a blank (作废空白票). Refused when the receipt's day is closed.
    """
    text = _clean_reason(reason, "作废原因")
    day = _today(on)
    book, number, receipt = _locate(session, ref)
    if receipt is None:
        if reissue:
            raise _refuse("空白票据没有可换开的缴费记录")
        return VoidResult(_blank(session, actor, book, number, ReceiptStatus.VOID, text, day))
    _check_holder(actor, receipt.collector, "这张收据")
    if receipt.status is not ReceiptStatus.ISSUED:
        raise _refuse(f"收据 {receipt_label(receipt.series, receipt.number)} 已是“{receipt.status.label}”状态")
    _check_day_open(session, receipt.day, receipt.collector)
    before = snapshot(receipt)
    receipt.status = ReceiptStatus.VOID
    receipt.void_reason = text
    receipt.updated_by = actor.username
    record_change(
        session,
        actor=actor,
        action="receipt.void",
        entity_type="receipt",
        entity_id=receipt.id,
        before=before,
        after=snapshot(receipt),
        reason=text,
    )
    contribution = session.get(Contribution, receipt.contribution_id) if receipt.contribution_id else None
    if contribution is None:
        return VoidResult(receipt)
    if reissue:
        new = issue_receipt(session, actor, contribution, amount_fen=receipt.amount_fen, on=day)
        return VoidResult(receipt, reissued=new)
    from pensiondesk.services.contributions import record_reversal  # the upper layer; imported here to avoid a cycle

    reversal = record_reversal(
        session, actor, contribution, reason=f"收据 {receipt_label(receipt.series, number)} 作废：{text}", on=day
    )
    return VoidResult(receipt, reversal=reversal)


def report_lost(session: Session, actor: Actor, ref: str, reason: str, *, on: date | None = None) -> Receipt:
    """遗失登记: report a blank number of a book as lost; it is never used and stays accounted for.

    A customer who lost an issued receipt gets a reprint (重打) instead.
    """
    text = _clean_reason(reason, "遗失情况说明")
    book, number, receipt = _locate(session, ref)
    if receipt is not None:
        raise _refuse(
            f"票据 {receipt_label(book.series, number)} 已{receipt.status.label}；缴费人遗失收据时请补打（重打）"
        )
    return _blank(session, actor, book, number, ReceiptStatus.LOST, text, _today(on))


# --- printing ------------------------------------------------------------------------------------------------------


def receipt_signing_key(session: Session, actor: Actor | None = None) -> bytes:
    """The database's receipt signing key (收据签名密钥), made on first use (32 random bytes).

    The key stays in this database; the county receives it at device enrolment so that it can verify receipts
    (``verify_receipt_qr``). Its creation is audited by key id only, never the key itself.
    """
    setting = session.get(Setting, SIGNING_KEY_SETTING)
    if setting is not None and isinstance(setting.value, dict) and "key" in setting.value:
        return bytes.fromhex(str(setting.value["key"]))
    key = secrets.token_bytes(32)
    key_id = key_id_of(key)
    session.add(Setting(key=SIGNING_KEY_SETTING, value={"key_id": key_id, "key": key.hex()}))
    session.flush()
    record_change(
        session,
        actor=actor or Actor("system"),
        action="receipt.signing_key_created",
        entity_type="setting",
        entity_id=SIGNING_KEY_SETTING,
        before=None,
        after={"key_id": key_id},
        sync=False,
    )
    return key


@dataclass(frozen=True)
class ReceiptPrint:
    """Everything printed on a receipt (收据), read once from the database; amounts in fen."""

    series: str
    number: int
    day: date
    village_code: str
    village_name: str
    township_name: str
    person_name: str
    id_number: str
    group_name: str
    payer_name: str
    payer_kind: PayerKind
    year: int
    tier_fen: int
    amount_fen: int
    subsidy_province_fen: int
    subsidy_city_fen: int
    subsidy_county_fen: int
    government_paid_fen: int
    collective_fen: int
    is_catch_up: bool
    collector_name: str
    status: ReceiptStatus
    void_reason: str | None
    reprint_no: int
    qr_payload: str

    @property
    def label(self) -> str:
        return receipt_label(self.series, self.number)

    @property
    def subsidy_fen(self) -> int:
        return self.subsidy_province_fen + self.subsidy_city_fen + self.subsidy_county_fen

    @property
    def credited_fen(self) -> int:
        """Credited to the personal account (记入个人账户): paid + subsidies + 代缴 + 集体补助."""
        return self.amount_fen + self.subsidy_fen + self.government_paid_fen + self.collective_fen


def _village(session: Session) -> tuple[str, str, str]:
    """(code, name, township name) of this database's village."""
    village_id = session.scalar(select(Setting.value).where(Setting.key == "village_id"))
    village = session.get(Village, village_id) if isinstance(village_id, str) else None
    if village is None:
        return "000000000000", "本村", ""
    township = session.get(Township, village.township_id)
    return village.code, village.name, township.name if township else ""


def _display_name(session: Session, username: str, actor: Actor | None = None) -> str:
    """The collector's name as printed: the operator's display name, else the login name."""
    name = session.scalar(select(User.display_name).where(User.username == username))
    if name:
        return name
    if actor is not None and actor.username == username and actor.display_name:
        return actor.display_name
    return username


def receipt_print_data(
    session: Session,
    receipt: Receipt,
    *,
    reprint_no: int = 0,
    key: bytes | None = None,
    actor: Actor | None = None,
) -> ReceiptPrint:
    """What to print for ``receipt`` (reading only); ``reprint_no`` > 0 marks the copy 重打 第N次."""
    contribution = session.get(Contribution, receipt.contribution_id) if receipt.contribution_id else None
    if contribution is None:
        raise _refuse(f"票据 {receipt_label(receipt.series, receipt.number)} 是空白作废或遗失号码，没有可打印的内容")
    person = session.get(Person, contribution.person_id)
    assert person is not None  # a foreign key
    group = session.get(VillagerGroup, person.group_id) if person.group_id else None
    village_code, village_name, township_name = _village(session)
    signing_key = key if key is not None else receipt_signing_key(session)
    subsidy = contribution.subsidy_province_fen + contribution.subsidy_city_fen + contribution.subsidy_county_fen
    summary = ReceiptSummary(
        key_id=key_id_of(signing_key),
        village_code=village_code,
        series=receipt.series,
        number=receipt.number,
        day=receipt.day,
        year=contribution.year,
        tier_fen=contribution.tier_fen,
        amount_fen=receipt.amount_fen,
        subsidy_fen=subsidy,
        id_masked=mask_id_number(person.id_number),
    )
    return ReceiptPrint(
        series=receipt.series,
        number=receipt.number,
        day=receipt.day,
        village_code=village_code,
        village_name=village_name,
        township_name=township_name,
        person_name=person.name,
        id_number=person.id_number,
        group_name=group.name if group else "",
        payer_name=contribution.payer_name or person.name,
        payer_kind=contribution.payer_kind,
        year=contribution.year,
        tier_fen=contribution.tier_fen,
        amount_fen=receipt.amount_fen,
        subsidy_province_fen=contribution.subsidy_province_fen,
        subsidy_city_fen=contribution.subsidy_city_fen,
        subsidy_county_fen=contribution.subsidy_county_fen,
        government_paid_fen=contribution.government_paid_fen,
        collective_fen=contribution.collective_fen,
        is_catch_up=contribution.is_catch_up,
        collector_name=_display_name(session, receipt.collector, actor),
        status=receipt.status,
        void_reason=receipt.void_reason,
        reprint_no=reprint_no,
        qr_payload=sign_receipt(summary, signing_key),
    )


def _printed_before(session: Session, receipt: Receipt) -> bool:
    return (
        session.scalar(
            select(AuditEntry.seq)
            .where(
                AuditEntry.entity_type == "receipt",
                AuditEntry.entity_id == receipt.id,
                AuditEntry.action.in_(("receipt.print", "receipt.reprint")),
            )
            .limit(1)
        )
        is not None
    )


def print_receipt(session: Session, actor: Actor, ref: str) -> ReceiptPrint:
    """打印收据: the data to print for receipt ``ref``, counting the print.

    The first print is an audit entry; every later one is a reprint (重打) that raises ``reprint_count`` and is
    marked “重打 第N次”. Void and lost numbers are not printed.
    """
    receipt = find_receipt(session, ref)
    if receipt.status is not ReceiptStatus.ISSUED:
        raise _refuse(f"收据 {receipt_label(receipt.series, receipt.number)} 已{receipt.status.label}，不能打印")
    key = receipt_signing_key(session, actor)
    if not _printed_before(session, receipt):
        record_change(
            session,
            actor=actor,
            action="receipt.print",
            entity_type="receipt",
            entity_id=receipt.id,
            before=None,
            after={"label": receipt_label(receipt.series, receipt.number)},
            sync=False,
        )
        return receipt_print_data(session, receipt, key=key, actor=actor)
    before = snapshot(receipt)
    receipt.reprint_count += 1
    receipt.updated_by = actor.username
    record_change(
        session,
        actor=actor,
        action="receipt.reprint",
        entity_type="receipt",
        entity_id=receipt.id,
        before=before,
        after=snapshot(receipt),
        reason=f"重打 第{receipt.reprint_count}次",
    )
    return receipt_print_data(session, receipt, reprint_no=receipt.reprint_count, key=key, actor=actor)


# --- overlay calibration -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverlayOffset:
    """套打校准: how far to move every value, in millimetres (right and down are positive)."""

    x_mm: Decimal = Decimal(0)
    y_mm: Decimal = Decimal(0)


def overlay_offset(session: Session) -> OverlayOffset:
    """The calibrated overlay offset (0, 0 until the coordinator sets one)."""
    value = session.scalar(select(Setting.value).where(Setting.key == OVERLAY_OFFSET_KEY))
    if not isinstance(value, dict):
        return OverlayOffset()
    try:
        return OverlayOffset(Decimal(str(value.get("x_mm", "0"))), Decimal(str(value.get("y_mm", "0"))))
    except InvalidOperation:
        return OverlayOffset()


def _offset_value(text: str | Decimal, what: str) -> Decimal:
    try:
        value = Decimal(str(text).strip().replace("＋", "+").replace("－", "-"))
    except InvalidOperation:
        raise _refuse(f"{what}必须是毫米数，例如 1.5 或 -2") from None
    if not value.is_finite() or abs(value) > _MAX_OFFSET_MM:
        raise _refuse(f"{what}应在 -{_MAX_OFFSET_MM} 到 {_MAX_OFFSET_MM} 毫米之间")
    return value.quantize(Decimal("0.1"))


def set_overlay_offset(session: Session, actor: Actor, x_mm: str | Decimal, y_mm: str | Decimal) -> OverlayOffset:
    """Store the overlay offset measured on the test page (向右、向下为正), to 0.1 mm."""
    offset = OverlayOffset(_offset_value(x_mm, "水平偏移"), _offset_value(y_mm, "垂直偏移"))
    setting = session.get(Setting, OVERLAY_OFFSET_KEY)
    before = dict(setting.value) if setting is not None and isinstance(setting.value, dict) else None
    value = {"x_mm": str(offset.x_mm), "y_mm": str(offset.y_mm)}
    if setting is None:
        session.add(Setting(key=OVERLAY_OFFSET_KEY, value=value))
    else:
        setting.value = value
    record_change(
        session,
        actor=actor,
        action="receipt.overlay_calibrate",
        entity_type="setting",
        entity_id=OVERLAY_OFFSET_KEY,
        before=before,
        after=value,
        sync=False,
    )
    return offset


def overlay_mode(session: Session) -> bool:
    """True when receipts are printed as an overlay (套打) onto the county's pre-printed paper."""
    return session.scalar(select(Setting.value).where(Setting.key == OVERLAY_MODE_KEY)) is True


def set_overlay_mode(session: Session, actor: Actor, enabled: bool) -> None:
    """Choose how receipts print: the full three-part form on plain A4, or only the values (套打)."""
    setting = session.get(Setting, OVERLAY_MODE_KEY)
    before = {"enabled": setting.value is True} if setting is not None else None
    if setting is None:
        session.add(Setting(key=OVERLAY_MODE_KEY, value=bool(enabled)))
    else:
        setting.value = bool(enabled)
    record_change(
        session,
        actor=actor,
        action="receipt.print_mode",
        entity_type="setting",
        entity_id=OVERLAY_MODE_KEY,
        before=before,
        after={"enabled": bool(enabled)},
        sync=False,
    )


# --- the daily close -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayLine:
    """One receipt number used on the day, for the day list and the handover sheet."""

    label: str
    status: ReceiptStatus
    person_name: str
    year: int | None
    tier_fen: int | None
    amount_fen: int
    void_reason: str | None
    reprint_count: int


@dataclass(frozen=True)
class DaySummary:
    """日结 of one collector's day: the receipts, the voids and the total of the valid (issued) receipts."""

    day: date
    collector: str
    collector_name: str
    village_name: str
    lines: list[DayLine]
    closed: DayClose | None

    @property
    def issued(self) -> list[DayLine]:
        return [line for line in self.lines if line.status is ReceiptStatus.ISSUED]

    @property
    def issued_count(self) -> int:
        return len(self.issued)

    @property
    def issued_total_fen(self) -> int:
        return sum(line.amount_fen for line in self.issued)

    @property
    def void_count(self) -> int:
        return sum(1 for line in self.lines if line.status is ReceiptStatus.VOID)

    @property
    def lost_count(self) -> int:
        return sum(1 for line in self.lines if line.status is ReceiptStatus.LOST)


def day_summary(session: Session, day: date, collector: str, *, actor: Actor | None = None) -> DaySummary:
    """The collector's receipts of ``day`` in number order, with the close if the day is closed."""
    rows = session.execute(
        select(Receipt, Contribution, Person.name)
        .outerjoin(Contribution, Contribution.id == Receipt.contribution_id)
        .outerjoin(Person, Person.id == Contribution.person_id)
        .where(Receipt.day == day, Receipt.collector == collector)
        .order_by(Receipt.series, Receipt.number)
    ).all()
    lines = [
        DayLine(
            label=receipt_label(receipt.series, receipt.number),
            status=receipt.status,
            person_name=name or "",
            year=contribution.year if contribution is not None else None,
            tier_fen=contribution.tier_fen if contribution is not None else None,
            amount_fen=receipt.amount_fen,
            void_reason=receipt.void_reason,
            reprint_count=receipt.reprint_count,
        )
        for receipt, contribution, name in rows
    ]
    closed = session.scalar(select(DayClose).where(DayClose.day == day, DayClose.collector == collector))
    return DaySummary(
        day=day,
        collector=collector,
        collector_name=_display_name(session, collector, actor),
        village_name=_village(session)[1],
        lines=lines,
        closed=closed,
    )


def unclosed_days(session: Session, collector: str, *, before: date | None = None) -> list[date]:
    """Days before ``before`` (default today) with receipts of the collector but no close: cash not yet handed over."""
    limit = _today(before)
    days = session.scalars(
        select(Receipt.day).where(Receipt.collector == collector, Receipt.day < limit).distinct()
    ).all()
    closed = set(session.scalars(select(DayClose.day).where(DayClose.collector == collector)))
    return sorted(day for day in days if day not in closed)


def close_day(
    session: Session,
    actor: Actor,
    day: date,
    cash_handed_fen: int,
    *,
    note: str | None = None,
    collector: str | None = None,
    today: date | None = None,
) -> DayClose:
    """日结: close the collector's ``day`` against the cash handed over; the day is locked afterwards.

    The receipts total is the sum of the day's issued receipts (作废、遗失 count as numbers, not money). A
    difference between cash and receipts must be explained in ``note``. A future day cannot be closed.
    """
    who = collector or actor.username
    _check_holder(actor, who, "这一天的收款")
    if day > _today(today):
        raise _refuse("不能对今天以后的日期日结", "day")
    if cash_handed_fen < 0:
        raise _refuse("实交现金不能是负数", "cash")
    if is_day_closed(session, day, who):
        raise _refuse(f"{day.isoformat()} 已经日结过了（收款员 {who}）", "day")
    summary = day_summary(session, day, who)
    difference = cash_handed_fen - summary.issued_total_fen
    explanation = " ".join((note or "").split()) or None
    if difference and not explanation:
        kind = "多" if difference > 0 else "少"
        raise _refuse(
            f"实交现金 {format_yuan(cash_handed_fen)} 元比收据合计 {format_yuan(summary.issued_total_fen)} 元"
            f"{kind} {format_yuan(abs(difference))} 元，请说明原因",
            "note",
        )
    if explanation and len(explanation) > 500:
        raise _refuse("说明最多 500 个字", "note")
    close = DayClose(
        day=day,
        collector=who,
        receipt_count=summary.issued_count,
        void_count=summary.void_count,
        receipts_total_fen=summary.issued_total_fen,
        cash_handed_fen=cash_handed_fen,
        difference_note=explanation,
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(close)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="day_close.close",
        entity_type="day_close",
        entity_id=close.id,
        before=None,
        after=snapshot(close),
        reason=explanation,
    )
    for receipt in session.scalars(select(Receipt).where(Receipt.day == day, Receipt.collector == who)):
        before = snapshot(receipt)
        receipt.day_close_id = close.id
        record_change(
            session,
            actor=actor,
            action="receipt.day_closed",
            entity_type="receipt",
            entity_id=receipt.id,
            before=before,
            after=snapshot(receipt),
        )
    return close
