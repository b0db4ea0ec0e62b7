"""The 同步 page against a real county server process on loopback (fixtures of ``tests/sync``).

Enrolment through the dialog, 立即同步 running off the GUI thread (a second click does nothing and says so), the
counts and the status bar following, a rejected record showing the county's reason, and a conflict resolved with
保留本机 reaching the county.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from tests.sync.conftest import CountyServer, laptop_factory, server  # noqa: F401  (fixtures)
from tests.sync.work import contribute, edit_person, expected_records, outbox_states, person_ids

from pensiondesk.gui.main_window import MainWindow
from pensiondesk.gui.qt import QDialogButtonBox, Qt, QTableWidget
from pensiondesk.gui.sync_page import SyncPage
from pensiondesk.services.recording import snapshot
from pensiondesk.store.db import Database, backup_database, open_database
from pensiondesk.store.models import Contribution, OutboxEntry, SyncState
from pensiondesk.sync.client import SyncClient
from pensiondesk.sync.engine import enroll

pytestmark = pytest.mark.gui

SYNC_TIMEOUT_MS = 60_000


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db.session, db.path)
    qtbot.addWidget(window)
    window.show()
    return window


def _page(qtbot: QtBot, db: Database) -> SyncPage:
    page = SyncPage(db.session, db.path, "tester")
    qtbot.addWidget(page)
    return page


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def _sync(qtbot: QtBot, page: SyncPage) -> None:
    with qtbot.waitSignal(page.sync_finished, timeout=SYNC_TIMEOUT_MS):
        assert page.sync_now()


def test_enrol_then_sync_now_off_the_gui_thread(
    qtbot: QtBot,
    server: CountyServer,  # noqa: F811
    laptop_factory: Callable[..., Database],  # noqa: F811
) -> None:
    village = server.add_village()
    db = laptop_factory("a", village_code=village, persons=20)
    window = _window(qtbot, db)
    page = window.page(window.sync_index)
    assert page is window.sync_page
    qtbot.waitUntil(lambda: window.sync_label.text() == "同步：未登记县级服务器")
    assert not page.sync_button.isEnabled()

    # 登记到县级服务器… : the dialog, then the enrolment runs on a worker thread.
    dialog = page.open_enrol_dialog()
    dialog.server_edit.setText(server.url)
    dialog.code_edit.setText(server.enrol_code(village))
    dialog.name_edit.setText("红旗村-笔记本1")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.overview.enrolled, timeout=SYNC_TIMEOUT_MS)
    waiting = len(expected_records(db))
    assert waiting > 20
    assert page.count_labels["pending"].text() == str(waiting)
    assert page.count_labels["accepted"].text() == "0"
    assert village in page.village_label.text()
    assert window.sync_label.text() == f"同步：从未同步，待上传 {waiting} 条"

    # 立即同步: the sync runs on another thread; a second click while it runs does nothing and says so.
    threads: list[threading.Thread] = []
    real_factory = page.worker.client_factory

    def spy(database: Database) -> SyncClient:
        threads.append(threading.current_thread())
        return real_factory(database)

    page.worker.client_factory = spy
    with qtbot.waitSignal(page.sync_finished, timeout=SYNC_TIMEOUT_MS):
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
        assert page.is_syncing
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)  # a second click: nothing starts
        assert "正在同步，请稍候" in page.message_label.text()
        assert page.sync_now() is False
    assert len(threads) == 1 and threads[0] is not threading.main_thread()
    qtbot.waitUntil(lambda: page.count_labels["accepted"].text() == str(waiting))
    assert page.count_labels["pending"].text() == "0"
    assert outbox_states(db) == {"accepted": waiting}
    assert server.records(village) == expected_records(db)
    assert window.sync_label.text().startswith("同步：上次 ")
    assert window.sync_label.text().endswith("待上传 0 条")
    assert page.message_label.text().startswith("同步完成")

    # Work done afterwards shows as waiting, on the page and in the status bar.
    edit_person(db, person_ids(db, 1)[0], phone="13900000001")
    page.refresh()
    assert page.count_labels["pending"].text() == "1"
    assert window.sync_label.text().endswith("待上传 1 条")
    page.shutdown()


def test_a_rejected_record_shows_the_reason_and_what_to_do(
    qtbot: QtBot,
    server: CountyServer,  # noqa: F811
    laptop_factory: Callable[..., Database],  # noqa: F811
) -> None:
    village = server.add_village()
    db = laptop_factory("a", village_code=village, persons=3)
    enroll(db, server.url, server.enrol_code(village), device_name="a")
    contribution_id = contribute(db, person_ids(db, 1)[0])
    page = _page(qtbot, db)
    _sync(qtbot, page)
    # An in-place change to a paid contribution: the county refuses it (immutable facts, property 10).
    with db.session(immediate=True) as s:
        paid = s.get(Contribution, contribution_id)
        assert paid is not None
        s.add(
            OutboxEntry(
                record_type="contribution",
                record_id=paid.id,
                operation="update",
                payload={**snapshot(paid), "personal_fen": 20000, "_operator": "xiezhu"},
                base_version=1,
            )
        )
    _sync(qtbot, page)
    assert page.count_labels["rejected"].text() == "1"
    (problem,) = page.problems
    assert not problem.is_conflict and problem.record_label == "缴费"
    table = page.problem_table
    assert table.rowCount() == 1
    row = [_cell(table, 0, column) for column in range(table.columnCount())]
    assert row[0] == "被拒绝"
    assert "不能修改" in row[3]
    assert "冲正" in row[4]
    assert "1 条需处理" in page.status_text()
    page.shutdown()


def test_the_county_asking_for_an_update_shows_on_the_page_and_the_status_bar(
    qtbot: QtBot,
    server: CountyServer,  # noqa: F811
    laptop_factory: Callable[..., Database],  # noqa: F811
) -> None:
    village = server.add_village()
    db = laptop_factory("a", village_code=village, persons=3)
    enroll(db, server.url, server.enrol_code(village), device_name="a")
    waiting = outbox_states(db)["pending"]
    server.stop()
    server.start("--min-app-version", "99.0")
    page = _page(qtbot, db)
    _sync(qtbot, page)
    notice = "请先升级到 99.0 版本（向乡镇或县社保局索取安装包；升级不会丢失数据）"
    assert notice in page.message_label.text() and notice in page.result_label.text()
    assert notice in page.status_text() and f"待上传 {waiting} 条" in page.status_text()
    assert page.last_message is not None and notice in page.last_message.text()
    assert outbox_states(db)["pending"] == waiting
    page.shutdown()

    server.stop()
    server.start("--latest-app-version", "99.1")
    page = _page(qtbot, db)
    assert notice in page.status_text()  # the last-known versions, shown before any sync
    _sync(qtbot, page)
    assert "有新版本 99.1 可用" in page.result_label.text() and "有新版本 99.1 可用" in page.status_text()
    assert notice not in page.status_text() and outbox_states(db).get("pending", 0) == 0
    page.shutdown()


def test_the_conflict_dialog_keeps_the_laptop_version(
    qtbot: QtBot,
    server: CountyServer,  # noqa: F811
    laptop_factory: Callable[..., Database],  # noqa: F811
    tmp_path: Path,
) -> None:
    village = server.add_village()
    db_a = laptop_factory("a", village_code=village, persons=2)
    db_b = open_database(backup_database(db_a.path, tmp_path / "copy", "b"))  # a second laptop of the village
    try:
        enroll(db_a, server.url, server.enrol_code(village), device_name="a")
        enroll(db_b, server.url, server.enrol_code(village), device_name="b")
        page_a, page_b = _page(qtbot, db_a), _page(qtbot, db_b)
        _sync(qtbot, page_a)
        _sync(qtbot, page_b)
        pid = person_ids(db_a, 1)[0]
        edit_person(db_a, pid, phone="111")
        edit_person(db_b, pid, phone="222")
        _sync(qtbot, page_a)
        _sync(qtbot, page_b)
        assert page_b.count_labels["conflict"].text() == "1"
        (problem,) = page_b.problems
        assert problem.is_conflict
        assert _cell(page_b.problem_table, 0, 0) == "有冲突"

        page_b.problem_table.selectRow(0)
        assert page_b.resolve_button.isEnabled()
        qtbot.mouseClick(page_b.resolve_button, Qt.MouseButton.LeftButton)
        dialog = page_b.conflict_dialog
        assert dialog is not None and dialog.isVisible()
        phone = next(f for f in dialog.view.fields if f.label == "联系电话")
        assert (phone.laptop, phone.county, phone.differs) == ("222", "111", True)
        assert dialog.view.fields[0].differs  # differences first
        qtbot.mouseClick(dialog.keep_laptop_button, Qt.MouseButton.LeftButton)
        assert page_b.count_labels["conflict"].text() == "0"
        assert page_b.count_labels["pending"].text() == "1"
        assert "保留本机" in page_b.message_label.text()
        _sync(qtbot, page_b)
        assert server.records(village)[("person", pid)]["phone"] == "222"
        assert page_b.problems == []
        page_a.shutdown()
        page_b.shutdown()
    finally:
        db_b.close()


def test_auto_sync_is_remembered_and_not_run_when_not_enrolled(
    qtbot: QtBot,
    laptop_factory: Callable[..., Database],  # noqa: F811
) -> None:
    db = laptop_factory("a", village_code="411099100001", persons=2)
    page = _page(qtbot, db)
    assert not page.auto_check.isChecked() and not page.auto_timer.isActive()
    page.auto_check.setChecked(True)
    assert page.auto_timer.isActive()
    page._auto_tick()  # not enrolled: nothing starts, nothing pops up
    assert not page.is_syncing and page.last_message is None
    again = _page(qtbot, db)
    assert again.auto_check.isChecked() and again.auto_timer.isActive()
    with db.session() as s:
        assert s.get(SyncState, 1) is None
    page.shutdown()
    again.shutdown()


def test_sync_now_on_an_encrypted_database(
    qtbot: QtBot,
    server: CountyServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    """After the setup wizard every village database is encrypted: 立即同步 runs on a worker thread, and SQLCipher's
    connections must be usable there (they refused the pool's other threads, as the roster import found)."""
    from tests.sync.conftest import make_laptop

    from pensiondesk.services import accounts
    from pensiondesk.store import cipher

    village = server.add_village()
    path = tmp_path / "encrypted.sqlite"
    make_laptop(path, village_code=village, persons=10).close()
    accounts.setup_first_user(path, "wang", "王红", "hongqi-2027")
    try:
        assert cipher.is_encrypted_file(path)
        db = open_database(path)
        try:
            page = _page(qtbot, db)
            dialog = page.open_enrol_dialog()
            dialog.server_edit.setText(server.url)
            dialog.code_edit.setText(server.enrol_code(village))
            dialog.name_edit.setText("红旗村-笔记本1")
            qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: page.overview.enrolled, timeout=SYNC_TIMEOUT_MS)
            waiting = len(expected_records(db))
            _sync(qtbot, page)
            assert page.message_label.text().startswith("同步完成"), page.message_label.text()
            assert outbox_states(db) == {"accepted": waiting}
            assert server.records(village) == expected_records(db)
            page.shutdown()
        finally:
            db.close()
    finally:
        accounts.set_current_actor(None)
        cipher.forget_keys()
