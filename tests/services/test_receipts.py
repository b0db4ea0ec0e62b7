"""Receipt books, receipts, the daily close and the receipt signature (票据本、票据、日结、防伪签名).

The property test at the end runs random sequences of collect / void / reissue / reprint / lost / reverse / close
day / next day / open book on a real SQLite file and checks after every step that every number of every book is
accounted for exactly once and that each day's total is the sum of its valid receipts.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select

from pensiondesk.domain.codes import PersonStatus, ReceiptBookStatus, ReceiptStatus, Sex
from pensiondesk.domain.idnumber import check_character
from pensiondesk.domain.receipt_signature import key_id_of, verify_receipt_qr
from pensiondesk.services.contributions import collect_contribution, reverse_contribution
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.receipts import (
    close_book,
    close_day,
    day_summary,
    find_receipt,
    list_books,
    open_book,
    overlay_offset,
    print_receipt,
    receipt_signing_key,
    reconcile_book,
    register_book,
    report_lost,
    set_overlay_offset,
    unclosed_days,
    void_receipt,
    write_off_book,
)
from pensiondesk.services.recording import Actor, verify_audit_chain
from pensiondesk.store.db import Database, create_sqlite_engine, open_database
from pensiondesk.store.models import (
    AuditEntry,
    Base,
    Contribution,
    County,
    DayClose,
    Person,
    Receipt,
    ReceiptBook,
    Setting,
    Township,
    Village,
    VillagerGroup,
)

DAY = date(2026, 3, 2)
ME = Actor("wanghong", display_name="王红")
OTHER = Actor("lisi", display_name="李四")


def _id_number(birth: date, order: int) -> str:
    first17 = f"411099{birth:%Y%m%d}{order:03d}"
    return first17 + check_character(first17)


def seed(db: Database, persons: int) -> list[str]:
    """A village (红旗村, code 411099101201) with ``persons`` contributors; returns their ids."""
    ids: list[str] = []
    with db.session() as s:
        county = County(code="411099", name="安和县")
        s.add(county)
        s.flush()
        township = Township(county_id=county.id, code="411099101", name="青山镇")
        s.add(township)
        s.flush()
        village = Village(township_id=township.id, code="411099101201", name="红旗村")
        s.add(village)
        s.flush()
        s.add(Setting(key="village_id", value=village.id))
        group = VillagerGroup(village_id=village.id, name="第一村民小组", sort_order=1)
        s.add(group)
        s.flush()
        for n in range(persons):
            birth = date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
            number = _id_number(birth, 100 + n)
            person = Person(
                village_id=village.id,
                group_id=group.id,
                name=f"张{'一二三四五六七八九十'[n % 10]}{n}",
                id_number=number,
                id_number_rev=number[::-1],
                sex=Sex.MALE if n % 2 else Sex.FEMALE,
                birth_date=birth,
                status=PersonStatus.CONTRIBUTING,
            )
            s.add(person)
            s.flush()
            ids.append(person.id)
    return ids


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "receipts.sqlite")
    yield database
    database.close()


@pytest.fixture
def people(db: Database) -> list[str]:
    return seed(db, 12)


def _book(db: Database, series: str = "HQ2026", start: int = 1, end: int = 50, actor: Actor = ME) -> str:
    with db.session(immediate=True) as s:
        book = register_book(s, actor, series=series, start_no=start, end_no=end, issued_on=DAY)
        open_book(s, actor, book.id)
        return book.id


def _collect(db: Database, person_id: str, *, on: date = DAY, tier: int = 300_00, actor: Actor = ME):
    with db.session(immediate=True) as s:
        return collect_contribution(s, actor, person_id=person_id, year=on.year, tier_fen=tier, on=on)


# --- books ---------------------------------------------------------------------------------------------------------


def test_book_rules(db: Database, people: list[str]) -> None:
    book_id = _book(db)
    with db.session(immediate=True) as s:
        with pytest.raises(ServiceError) as overlap:
            register_book(s, ME, series="hq2026", start_no=40, end_no=60)
        assert "重叠" in overlap.value.user_message
        with pytest.raises(ServiceError) as bad:
            register_book(s, ME, series="红旗", start_no=1, end_no=10)
        assert "字轨" in bad.value.user_message
        second = register_book(s, ME, series="HQ2026", start_no=51, end_no=100)
        with pytest.raises(ServiceError) as two_open:
            open_book(s, ME, second.id)
        assert "一次只能使用一本" in two_open.value.user_message
        with pytest.raises(ServiceError) as not_mine:
            open_book(s, OTHER, second.id)
        assert "wanghong" in not_mine.value.user_message
    with db.session() as s:
        rows = list_books(s)
        assert [row.book.status for row in rows] == [ReceiptBookStatus.OPEN, ReceiptBookStatus.ISSUED]
        assert rows[0].book.id == book_id and rows[0].unused == 50


def test_numbers_strictly_in_order_and_a_used_up_book_closes(db: Database, people: list[str]) -> None:
    with db.session(immediate=True) as s:
        small = register_book(s, ME, series="SM", start_no=101, end_no=103, issued_on=DAY)
        spare = register_book(s, ME, series="SM", start_no=104, end_no=110, issued_on=DAY)
        open_book(s, ME, small.id)
    labels = [_collect(db, person).receipt_label for person in people[:3]]
    assert labels == ["SM-00000101", "SM-00000102", "SM-00000103"]
    with db.session() as s:
        assert s.get(ReceiptBook, small.id).status is ReceiptBookStatus.CLOSED
    with pytest.raises(ServiceError) as none_open:
        _collect(db, people[3])
    assert "没有正在使用的票据本" in none_open.value.user_message
    with db.session(immediate=True) as s:
        open_book(s, ME, spare.id)
    assert _collect(db, people[3]).receipt_label == "SM-00000104"


def test_void_keeps_the_number_and_reverses_the_contribution(db: Database, people: list[str]) -> None:
    _book(db)
    first = _collect(db, people[0])
    _collect(db, people[1])
    with db.session(immediate=True) as s:
        with pytest.raises(ServiceError):
            void_receipt(s, ME, "HQ2026-1", "  ", on=DAY)  # a reason is required
        result = void_receipt(s, ME, "HQ2026-00000001", "金额写错", on=DAY)
    assert result.receipt.status is ReceiptStatus.VOID and result.receipt.void_reason == "金额写错"
    assert result.reversal is not None and result.reversal.reverses_id == first.contribution.id
    third = _collect(db, people[0])  # paying again gets the next number, never number 1
    assert third.receipt_label == "HQ2026-00000003"
    with db.session() as s:
        voided = find_receipt(s, "1")
        assert (voided.status, voided.number, voided.amount_fen) == (ReceiptStatus.VOID, 1, 300_00)
        with pytest.raises(ServiceError) as again:
            void_receipt(s, ME, "1", "再作废", on=DAY)
        assert "作废" in again.value.user_message


def test_reissue_keeps_the_contribution(db: Database, people: list[str]) -> None:
    _book(db)
    first = _collect(db, people[0])
    with db.session(immediate=True) as s:
        result = void_receipt(s, ME, "HQ2026-1", "打印机卡纸", reissue=True, on=DAY)
    assert result.reversal is None and result.reissued is not None
    assert result.reissued.number == 2 and result.reissued.contribution_id == first.contribution.id
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Contribution)) == 1


def test_blank_numbers_spoiled_or_lost_are_stepped_over(db: Database, people: list[str]) -> None:
    _book(db, end=10)
    with db.session(immediate=True) as s:
        void_receipt(s, ME, "HQ2026-1", "空白票撕坏", on=DAY)  # the next number, spoiled
        report_lost(s, ME, "HQ2026-3", "第3号空白票遗失，已报告乡镇", on=DAY)  # a number ahead, lost
        with pytest.raises(ServiceError):
            report_lost(s, ME, "HQ2026-1", "重复", on=DAY)
    assert _collect(db, people[0]).receipt_label == "HQ2026-00000002"
    assert _collect(db, people[1]).receipt_label == "HQ2026-00000004"  # 3 is lost: stepped over
    with db.session() as s:
        summary = day_summary(s, DAY, ME.username)
        assert (summary.issued_count, summary.void_count, summary.lost_count) == (2, 1, 1)
        assert summary.issued_total_fen == 600_00


def test_reprints_are_counted_and_marked(db: Database, people: list[str]) -> None:
    _book(db)
    _collect(db, people[0])
    with db.session(immediate=True) as s:
        first = print_receipt(s, ME, "HQ2026-1")
        second = print_receipt(s, ME, "HQ2026-1")
        third = print_receipt(s, ME, "1")
    assert (first.reprint_no, second.reprint_no, third.reprint_no) == (0, 1, 2)
    with db.session() as s:
        assert find_receipt(s, "1").reprint_count == 2
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("receipt.%print"))).all()
        assert actions == ["receipt.print", "receipt.reprint", "receipt.reprint"]
    with db.session(immediate=True) as s:
        void_receipt(s, ME, "1", "作废", on=DAY)
    with db.session(immediate=True) as s, pytest.raises(ServiceError) as void:
        print_receipt(s, ME, "1")
    assert "不能打印" in void.value.user_message


def test_receipt_code_is_signed_and_verifies(db: Database, people: list[str]) -> None:
    _book(db)
    _collect(db, people[0])
    with db.session(immediate=True) as s:
        data = print_receipt(s, ME, "HQ2026-1")
        key = receipt_signing_key(s)
        stored = s.get(Setting, "receipt.signing_key").value
    assert stored["key_id"] == key_id_of(key)
    check = verify_receipt_qr(data.qr_payload, key)
    assert check.valid, check.reason
    summary = check.summary
    assert (summary.series, summary.number, summary.amount_fen, summary.tier_fen, summary.subsidy_fen) == (
        "HQ2026",
        1,
        300_00,
        300_00,
        30_00,
    )
    assert summary.village_code == "411099101201" and summary.day == DAY
    assert summary.id_masked.count("*") == 8 and summary.id_masked[:6] == "411099"
    altered = data.qr_payload.replace(":30000:30000:", ":30000:50000:")
    assert not verify_receipt_qr(altered, key).valid
    assert "改动" in verify_receipt_qr(altered, key).reason
    assert not verify_receipt_qr(data.qr_payload, b"another village key 32 bytes...").valid
    assert not verify_receipt_qr("hello", key).valid
    with db.session() as s:  # the audit log names the key, never holds it
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "receipt.signing_key_created"))
        assert entry.after == {"key_id": key_id_of(key)}


# --- the daily close -----------------------------------------------------------------------------------------------


def test_day_close_totals_difference_and_lock(db: Database, people: list[str]) -> None:
    _book(db)
    first = _collect(db, people[0])  # 300
    _collect(db, people[1], tier=500_00)  # 500
    _collect(db, people[2], tier=200_00)  # 200, then voided
    with db.session(immediate=True) as s:
        void_receipt(s, ME, "3", "缴费人改变主意", on=DAY)
    with db.session() as s:
        summary = day_summary(s, DAY, ME.username)
    # Valid receipts: 300 + 500 = 800 元; the void counts as a number, not as money.
    assert (summary.issued_count, summary.void_count, summary.issued_total_fen) == (2, 1, 800_00)
    with db.session(immediate=True) as s:
        with pytest.raises(ServiceError) as short:
            close_day(s, ME, DAY, 790_00, today=DAY)
        assert "少 10.00 元，请说明原因" in short.value.user_message
        with pytest.raises(ServiceError):
            close_day(s, ME, DAY + timedelta(days=1), 0, today=DAY)  # a future day
        close = close_day(s, ME, DAY, 790_00, note="找零时多找 10 元，本人补齐", today=DAY)
    assert (close.receipts_total_fen, close.cash_handed_fen, close.receipt_count, close.void_count) == (
        800_00,
        790_00,
        2,
        1,
    )
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Receipt).where(Receipt.day_close_id == close.id)) == 3
    # The day is locked: no receipt with that date can be issued, voided or reversed, and it cannot close twice.
    with pytest.raises(ServiceError) as locked:
        _collect(db, people[3])
    assert "已日结" in locked.value.user_message
    with db.session(immediate=True) as s:
        for attempt in (
            lambda: void_receipt(s, ME, "1", "日结后作废", on=DAY + timedelta(days=1)),
            lambda: reverse_contribution(s, ME, first.contribution.id, "x", on=DAY + timedelta(days=1)),
            lambda: close_day(s, ME, DAY, 800_00, today=DAY),
            lambda: report_lost(s, ME, "10", "遗失", on=DAY),
        ):
            with pytest.raises(ServiceError):
                attempt()
    with db.session(immediate=True) as s, pytest.raises(ServiceError) as refund:
        reverse_contribution(s, ME, first.contribution.id, "退费", on=DAY + timedelta(days=1))
    assert "现金已经交出" in refund.value.user_message and "退费流程" in refund.value.user_message
    # The next day is open.
    assert _collect(db, people[3], on=DAY + timedelta(days=1)).receipt_label == "HQ2026-00000004"
    with db.session() as s:
        assert unclosed_days(s, ME.username, before=DAY + timedelta(days=2)) == [DAY + timedelta(days=1)]


def test_reconcile_and_write_off(db: Database, people: list[str]) -> None:
    book_id = _book(db, end=6)
    for person in people[:3]:
        _collect(db, person)
    with db.session(immediate=True) as s:
        void_receipt(s, ME, "2", "写错姓名", on=DAY)
        report_lost(s, ME, "5", "遗失", on=DAY)
        with pytest.raises(ServiceError):
            write_off_book(s, ME, book_id)  # still open
        with pytest.raises(ServiceError) as reason:
            close_book(s, ME, book_id)
        assert "原因" in reason.value.user_message
        close_book(s, ME, book_id, reason="年度结束，剩余号码缴回")
        result = reconcile_book(s, book_id)
        # Numbers 1–6: issued 1, 3 (2 was reversed then... no: 2 is void), void 2, lost 5, unused 4 and 6.
        assert (result.issued, result.void, result.lost, result.unused) == ([1, 3], [2], [5], [(4, 4), (6, 6)])
        assert not result.balanced and result.unclosed_days == [DAY]
        with pytest.raises(ServiceError) as unbalanced:
            write_off_book(s, ME, book_id)
        assert "尚未日结" in unbalanced.value.user_message
        close_day(s, ME, DAY, 600_00, today=DAY)
        done = write_off_book(s, ME, book_id)
        assert done.balanced and done.issued_total_fen == 600_00
        assert s.get(ReceiptBook, book_id).status is ReceiptBookStatus.WRITTEN_OFF


def test_overlay_offset_setting(db: Database) -> None:
    with db.session(immediate=True) as s:
        assert overlay_offset(s).x_mm == 0
        set_overlay_offset(s, ME, "1.25", "-2")
        with pytest.raises(ServiceError):
            set_overlay_offset(s, ME, "abc", "0")
        with pytest.raises(ServiceError):
            set_overlay_offset(s, ME, "45", "0")
    with db.session() as s:
        offset = overlay_offset(s)
    assert (offset.x_mm, offset.y_mm) == (Decimal("1.2"), Decimal("-2.0"))  # 0.1 mm, half-even


# --- the property test ---------------------------------------------------------------------------------------------

_PERSONS = 10


class ReceiptMachine(RuleBasedStateMachine):
    """Random work days of one collector: every number accounted for once; day totals = valid receipts."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp: Path | None = None
        self.db: Database | None = None

    @initialize(data=st.data())
    def start(self, data: st.DataObject) -> None:
        import tempfile

        self.tmp = Path(tempfile.mkdtemp(prefix="receipt-machine-"))
        path = self.tmp / "m.sqlite"
        engine = create_sqlite_engine(path)
        Base.metadata.create_all(engine)
        self.db = Database(path, engine)
        self.people = seed(self.db, _PERSONS)
        self.day = DAY
        self.closed_snapshots: dict[date, list[tuple[int, str, int]]] = {}
        with self.db.session(immediate=True) as s:
            first = register_book(s, ME, series="PA", start_no=1, end_no=data.draw(st.integers(3, 9)), issued_on=DAY)
            register_book(s, ME, series="PB", start_no=1, end_no=data.draw(st.integers(3, 9)), issued_on=DAY)
            register_book(s, ME, series="PC", start_no=500, end_no=520, issued_on=DAY)
            open_book(s, ME, first.id)

    def teardown(self) -> None:
        if self.db is not None:
            self.db.close()

    def _try(self, action) -> object | None:  # type: ignore[no-untyped-def]
        assert self.db is not None
        try:
            with self.db.session(immediate=True) as s:
                return action(s)
        except ServiceError:
            return None

    def _day_closed(self) -> bool:
        assert self.db is not None
        with self.db.session() as s:
            return s.scalar(select(DayClose.id).where(DayClose.day == self.day)) is not None

    @rule(person=st.integers(0, _PERSONS - 1), tier=st.sampled_from([100_00, 200_00, 300_00, 500_00]))
    def collect(self, person: int, tier: int) -> None:
        closed = self._day_closed()
        result = self._try(
            lambda s: collect_contribution(
                s, ME, person_id=self.people[person], year=self.day.year, tier_fen=tier, on=self.day
            )
        )
        if closed:
            assert result is None, "a closed day accepted a receipt"

    @rule(pick=st.integers(0, 10_000), reissue=st.booleans())
    def void(self, pick: int, reissue: bool) -> None:
        receipt = self._pick_receipt(pick)
        if receipt is not None:
            self._try(lambda s: void_receipt(s, ME, f"{receipt[0]}-{receipt[1]}", "作废", reissue=reissue, on=self.day))

    @rule(pick=st.integers(0, 10_000))
    def reprint(self, pick: int) -> None:
        receipt = self._pick_receipt(pick)
        if receipt is not None:
            self._try(lambda s: print_receipt(s, ME, f"{receipt[0]}-{receipt[1]}"))

    @rule(pick=st.integers(0, 10_000))
    def reverse(self, pick: int) -> None:
        assert self.db is not None
        with self.db.session() as s:
            ids = s.scalars(select(Contribution.id).where(Contribution.reverses_id.is_(None))).all()
        if ids:
            self._try(lambda s: reverse_contribution(s, ME, ids[pick % len(ids)], "冲正", on=self.day))

    @rule(ahead=st.integers(0, 3), lost=st.booleans())
    def spoil_blank(self, ahead: int, lost: bool) -> None:
        def act(s):  # type: ignore[no-untyped-def]
            book = s.scalar(select(ReceiptBook).where(ReceiptBook.status == ReceiptBookStatus.OPEN))
            if book is None:
                return None
            ref = f"{book.series}-{book.next_no + ahead}"
            if lost:
                return report_lost(s, ME, ref, "遗失", on=self.day)
            return void_receipt(s, ME, ref, "空白作废", on=self.day)

        self._try(act)

    @rule(difference=st.sampled_from([0, 0, 0, -1000, 500]))
    def close(self, difference: int) -> None:
        def act(s):  # type: ignore[no-untyped-def]
            total = day_summary(s, self.day, ME.username).issued_total_fen
            note = "差额已说明" if difference else None
            return close_day(s, ME, self.day, max(0, total + difference), note=note, today=self.day)

        if self._try(act) is not None:
            assert self.db is not None
            with self.db.session() as s:
                self.closed_snapshots[self.day] = self._day_rows(s, self.day)

    @rule()
    def next_day(self) -> None:
        self.day += timedelta(days=1)

    @rule()
    def open_next_book(self) -> None:
        def act(s):  # type: ignore[no-untyped-def]
            book = s.scalar(
                select(ReceiptBook).where(ReceiptBook.status == ReceiptBookStatus.ISSUED).order_by(ReceiptBook.series)
            )
            return open_book(s, ME, book.id) if book is not None else None

        self._try(act)

    def _pick_receipt(self, pick: int) -> tuple[str, int] | None:
        assert self.db is not None
        with self.db.session() as s:
            rows = s.execute(select(Receipt.series, Receipt.number).order_by(Receipt.series, Receipt.number)).all()
        return tuple(rows[pick % len(rows)]) if rows else None  # type: ignore[return-value]

    @staticmethod
    def _day_rows(s, day: date) -> list[tuple[int, str, int]]:  # type: ignore[no-untyped-def]
        rows = s.execute(
            select(Receipt.number, Receipt.status, Receipt.amount_fen).where(Receipt.day == day).order_by(Receipt.id)
        ).all()
        return [(number, str(status), amount) for number, status, amount in rows]

    @invariant()
    def every_number_accounted_for_once(self) -> None:
        if self.db is None:
            return
        with self.db.session() as s:
            for book in s.scalars(select(ReceiptBook)):
                rows = s.scalars(select(Receipt).where(Receipt.book_id == book.id)).all()
                numbers = [r.number for r in rows]
                assert len(numbers) == len(set(numbers)), "a number used twice"
                assert all(book.start_no <= r.number <= book.end_no and r.series == book.series for r in rows)
                by_number = {r.number: r for r in rows}
                for number in range(book.start_no, book.end_no + 1):
                    row = by_number.get(number)
                    if number < book.next_no:
                        assert row is not None, f"{book.series}-{number} skipped without a record"
                    elif row is not None:
                        assert row.status is not ReceiptStatus.ISSUED and row.contribution_id is None
                problems = reconcile_book(s, book.id).problems
                assert [p for p in problems if not p.startswith("以下日期尚未日结")] == []

    @invariant()
    def day_totals_are_the_valid_receipts(self) -> None:
        if self.db is None:
            return
        with self.db.session() as s:
            for close in s.scalars(select(DayClose)):
                issued = s.scalar(
                    select(func.coalesce(func.sum(Receipt.amount_fen), 0)).where(
                        Receipt.day == close.day, Receipt.status == ReceiptStatus.ISSUED
                    )
                )
                assert close.receipts_total_fen == issued
                assert day_summary(s, close.day, ME.username).issued_total_fen == issued
                # A closed day never changes afterwards.
                assert self._day_rows(s, close.day) == self.closed_snapshots[close.day]
            summary = day_summary(s, self.day, ME.username)
            assert summary.issued_total_fen == sum(line.amount_fen for line in summary.issued)

    @invariant()
    def receipts_match_contributions(self) -> None:
        if self.db is None:
            return
        with self.db.session() as s:
            reversed_ids = set(s.scalars(select(Contribution.reverses_id).where(Contribution.reverses_id.is_not(None))))
            for c in s.scalars(select(Contribution).where(Contribution.reverses_id.is_(None))):
                issued = s.scalars(
                    select(Receipt).where(Receipt.contribution_id == c.id, Receipt.status == ReceiptStatus.ISSUED)
                ).all()
                if c.id in reversed_ids:
                    assert issued == []
                else:
                    assert len(issued) == 1 and issued[0].amount_fen == c.personal_fen
            assert verify_audit_chain(s) is None


ReceiptMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestReceiptMachine = ReceiptMachine.TestCase
