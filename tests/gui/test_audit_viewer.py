"""The 操作日志 window on a real village database: filters narrow correctly, before/after side by side, the chain
check runs off the GUI thread and names the first broken link, and a 100,000-entry log is paged."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, insert, select, text
from tests.sync.work import contribute, edit_person, person_ids

from pensiondesk.gui.audit_viewer import AuditLogDialog, AuditLogModel
from pensiondesk.gui.qt import QDate
from pensiondesk.services.audit_log import AuditFilter
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.recording import Actor, record_change, snapshot
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import AuditEntry, Person, utcnow

pytestmark = pytest.mark.gui

VERIFY_TIMEOUT_MS = 30_000


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "village.sqlite")
    with database.session(immediate=True) as s:
        create_demo_village(s, persons=12, seed=7)
    yield database
    database.close()


def _work(db: Database) -> tuple[str, str]:
    """Real changes through the recording path: two clerks, a phone change, a contribution, a reasoned edit."""
    a, b = person_ids(db, 2)
    edit_person(db, a, phone="13911112222")  # by xiezhu
    contribute(db, a)
    contribute(db, b)
    with db.session(immediate=True) as s:
        person = s.get(Person, b)
        assert person is not None
        before = snapshot(person)
        person.notes = "户口迁出待核实"
        s.flush()
        record_change(
            s,
            actor=Actor("fuhe"),
            action="update_general_fields",
            entity_type="person",
            entity_id=b,
            before=before,
            after=snapshot(person),
            reason="村民反映",
        )
    return a, b


def _dialog(qtbot: QtBot, db: Database) -> AuditLogDialog:
    dialog = AuditLogDialog(db.session, db.path)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _column(dialog: AuditLogDialog, column: int) -> list[str]:
    m = dialog.model
    return [m.data(m.index(r, column)) for r in range(m.rowCount())]


def _expected(db: Database, sql: str, **params: object) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar() or 0)


def test_filters_narrow_and_detail_shows_before_and_after(qtbot: QtBot, db: Database, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    a, b = _work(db)
    dialog = _dialog(qtbot, db)
    qtmodeltester.check(dialog.model)
    everything = _expected(db, "SELECT count(*) FROM audit_entry")
    assert dialog.model.total == everything and f"共 {everything} 条" in dialog.count_label.text()
    with db.session() as s:
        pa, pb = s.get(Person, a), s.get(Person, b)
        assert pa is not None and pb is not None
        a_name, a_id, b_name = pa.name, pa.id_number, pb.name
    about_a = _expected(
        db,
        "SELECT count(*) FROM audit_entry WHERE (entity_type='person' AND entity_id=:p) "
        "OR json_extract(coalesce(after, before), '$.person_id') = :p",
        p=a,
    )
    assert about_a >= 2  # the edit and the contribution, at least

    # By name: only entries about that person (the person record and records carrying its ID), named in 姓名.
    dialog.person_edit.setText(a_name)
    dialog.apply_filter()
    same_name = _expected(db, "SELECT count(*) FROM person WHERE name = :n", n=a_name)
    if same_name == 1:
        assert dialog.model.total == about_a
    assert set(_column(dialog, 4)) == {a_name}
    # By part of the ID number: the same entries.
    dialog.person_edit.setText(a_id[-8:])
    dialog.apply_filter()
    assert dialog.model.total == about_a and set(_column(dialog, 4)) == {a_name}

    # By operator.
    dialog.person_edit.clear()
    assert dialog.user_combo.findData("fuhe") >= 0
    dialog.user_combo.setCurrentIndex(dialog.user_combo.findData("fuhe"))
    dialog.apply_filter()
    assert dialog.model.total == 1 and _column(dialog, 1) == ["fuhe"] and _column(dialog, 4) == [b_name]
    assert _column(dialog, 5) == ["村民反映"] and _column(dialog, 2) == ["修改人员信息"]
    dialog.user_combo.setCurrentIndex(0)

    # By date: yesterday holds nothing, today everything.
    today = QDate.currentDate()
    dialog.from_edit.setDate(today.addDays(-3))
    dialog.to_edit.setDate(today.addDays(-1))
    dialog.date_check.setChecked(True)
    assert dialog.model.total == 0
    dialog.to_edit.setDate(today)
    dialog.apply_filter()
    assert dialog.model.total == everything

    # Detail: fuhe's edit, 备注 before and after, marked as changed.
    dialog.user_combo.setCurrentIndex(dialog.user_combo.findData("fuhe"))
    dialog.apply_filter()
    dialog.table.selectRow(0)
    rows = {
        dialog.detail_table.item(r, 0).text(): (
            dialog.detail_table.item(r, 1).text(),
            dialog.detail_table.item(r, 2).text(),
        )
        for r in range(dialog.detail_table.rowCount())
    }
    assert rows["备注"][1] == "户口迁出待核实" and rows["备注"][0] != rows["备注"][1]
    assert rows["姓名"] == (b_name, b_name)
    assert dialog.detail_table.item(list(rows).index("备注"), 2).font().bold()
    assert not dialog.detail_table.item(list(rows).index("姓名"), 2).font().bold()
    assert "村民反映" in dialog.detail_title.text()


def test_verify_runs_off_the_gui_thread_and_names_the_broken_entry(qtbot: QtBot, db: Database) -> None:
    _work(db)
    dialog = _dialog(qtbot, db)
    with qtbot.waitSignal(dialog.verify_finished, timeout=VERIFY_TIMEOUT_MS) as blocker:
        assert dialog.verify()
        assert not dialog.verify()  # one check at a time
    assert blocker.args is not None and blocker.args[0] is True
    assert "审计记录完整" in dialog.verify_label.text()
    seq = _expected(db, "SELECT min(seq) + 1 FROM audit_entry")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET reason = '事后改的' WHERE seq = :s"), {"s": seq})
    with qtbot.waitSignal(dialog.verify_finished, timeout=VERIFY_TIMEOUT_MS) as blocker:
        dialog.verify()
    assert blocker.args is not None and blocker.args[0] is False
    text_shown = dialog.verify_label.text()
    assert f"第 {seq} 条审计记录" in text_shown and "不完整" in text_shown and "请联系县社保局" in text_shown


def test_a_hundred_thousand_entries_are_paged(qtbot: QtBot, db: Database, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    n = 100_000
    start = utcnow() - timedelta(days=400)
    rows = [
        {
            "id": str(uuid.uuid4()),
            "at": start + timedelta(minutes=5 * i),
            "user": "xiezhu" if i % 3 else "fuhe",
            "action": "receipt.print",
            "entity_type": "receipt",
            "entity_id": str(uuid.uuid4()),
            "before": None,
            "after": {"receipt_no": str(i)},
            "reason": None,
        }
        for i in range(n)
    ]
    with db.engine.begin() as conn:
        conn.execute(insert(AuditEntry.__table__), rows)
    model = AuditLogModel(db.session)
    assert model.total >= n and model.rowCount() == AuditLogModel.PAGE  # only the first page is shown ...
    assert model.canFetchMore(model.index(-1, -1))
    model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 2 * AuditLogModel.PAGE
    assert model.data(model.index(0, 2)) == "打印票据"  # ... and rows are read around what is painted
    assert len(model._cache) <= AuditLogModel.FETCH_BLOCK
    model.set_filter(AuditFilter(user="fuhe"))
    with db.session() as s:
        assert model.total == s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.user == "fuhe"))
    # (Checked after the reset: Qt's tester calls fetchMore from inside its own modelReset handler.)
    qtmodeltester.check(model)
    dialog = _dialog(qtbot, db)
    assert dialog.model.rowCount() == AuditLogModel.PAGE
    dialog.table.scrollToBottom()
    qtbot.waitUntil(lambda: dialog.model.rowCount() > AuditLogModel.PAGE)


def test_reached_from_the_help_menu(qtbot: QtBot, db: Database) -> None:
    from pensiondesk.gui.main_window import MainWindow

    _work(db)
    window = MainWindow(db.session, db.path)
    qtbot.addWidget(window)
    window.show()
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    help_actions = [a.text() for a in menus["帮助(&H)"].actions()]
    assert "操作日志(&L)…" in help_actions
    window.audit_log_action.trigger()
    dialogs = [w for w in window.findChildren(AuditLogDialog) if w.isVisible()]
    assert len(dialogs) == 1 and dialogs[0].model.total == _expected(db, "SELECT count(*) FROM audit_entry")
    dialogs[0].close()
