"""The 同步 page warns while the county holds an audit alert about this laptop (real county server on loopback)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from tests.sync.conftest import CountyServer, laptop_factory, server  # noqa: F401  (fixtures)
from tests.sync.work import contribute, person_ids

from pensiondesk.county.audit import list_alerts, resolve_alert
from pensiondesk.gui.sync_page import SyncPage
from pensiondesk.store.db import Database
from pensiondesk.sync.engine import enroll

pytestmark = pytest.mark.gui

SYNC_TIMEOUT_MS = 60_000


def _sync(qtbot: QtBot, page: SyncPage) -> None:
    with qtbot.waitSignal(page.sync_finished, timeout=SYNC_TIMEOUT_MS):
        assert page.sync_now()


def test_the_sync_page_warns_about_an_audit_alert_until_the_county_closes_it(
    qtbot: QtBot,
    server: CountyServer,  # noqa: F811
    laptop_factory: Callable[..., Database],  # noqa: F811
) -> None:
    village = server.add_village()
    db = laptop_factory("a", village_code=village, persons=6)
    enroll(db, server.url, server.enrol_code(village), device_name="a")
    contribute(db, person_ids(db, 1)[0])
    page = SyncPage(db.session, db.path, "tester")
    qtbot.addWidget(page)
    page.show()
    _sync(qtbot, page)
    assert page.audit_label.isHidden() and page.overview.audit_warning is None
    with db.engine.begin() as conn:  # history the county has seen is deleted behind the program's back
        conn.execute(text("DELETE FROM audit_entry WHERE seq > (SELECT max(seq) - 2 FROM audit_entry)"))
    _sync(qtbot, page)
    assert page.audit_label.isVisible()
    assert "审计日志与县里上次收到的不一致" in page.audit_label.text()
    assert "请联系县社保局" in page.audit_label.text()
    assert "审计日志异常" in page.status_text()
    with server.session() as s:
        [alert] = list_alerts(s)
        resolve_alert(s, alert.id, "admin", "已核实")
    _sync(qtbot, page)
    assert page.audit_label.isHidden() and "审计日志异常" not in page.status_text()
