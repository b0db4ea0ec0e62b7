"""The review lists name people as they are known and show the age (QA walk-through of 审核).

录入人/初审人/退回方 showed logins ("demo", "reviewer"); the queue now shows each user's 显示名 and each person's 年龄
on the registration date, 60 and over in amber, and the 退回的登记 tab wraps a long reason instead of "…".
A real SQLite demo village with two users.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pensiondesk.domain.codes import PersonStatus, UserRole
from pensiondesk.domain.pension import age_on
from pensiondesk.gui.qt import QApplication, QTableWidget
from pensiondesk.gui.review_page import AGE_COLUMN, RETURN_REASON_COLUMN, ReviewPage
from pensiondesk.services import people, registration
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.people_types import PersonInput
from pensiondesk.services.person_queries import current_village_id
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import Person, User

pytestmark = pytest.mark.gui

ALICE = Actor("alice", UserRole.COORDINATOR, "李爱华")
BOB = Actor("bob", UserRole.REVIEWER, "王复核")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
LONG_REASON = (
    "年满60周岁以上，应办理待遇领取而非缴费登记；请核对户口簿上的出生日期，"
    "并补交本人身份证复印件和户口簿首页复印件后重新登记"
)


def valid_id(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "village.db")
    with database.session() as session:
        create_demo_village(session, persons=300, seed=3)
        for actor in (ALICE, BOB):
            session.add(User(username=actor.username, display_name=actor.display_name, role=actor.role))
        session.commit()
    yield database
    database.close()


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def register_old_and_young(db: Database) -> tuple[str, str, int, int]:
    """Alice enters an 86-year-old and a younger resident; their registration ids and ages today."""
    today = date.today()
    with db.session() as session:
        village_id = current_village_id(session)
        assert village_id is not None
        old = people.add_person(
            session,
            ALICE,
            PersonInput(name="韩龙井", id_number=valid_id(f"410522{today.year - 86}0101131")),
            village_id=village_id,
        )
        old_birth = old.birth_date
        old_id = registration.register(session, ALICE, old.id, registered_on=today).id
    with db.session() as session:
        candidates = session.scalars(
            select(Person)
            .where(Person.status == PersonStatus.NOT_ENROLLED, Person.birth_date > date(today.year - 50, 1, 1))
            .order_by(Person.birth_date)
        ).all()
        for person in candidates:
            session.expunge(person)
    for person in candidates:
        try:
            with db.session() as session:
                young_id = registration.register(session, ALICE, person.id, registered_on=today).id
        except people.ServiceError:
            continue
        return old_id, young_id, age_on(old_birth, today), age_on(person.birth_date, today)
    raise AssertionError("nobody in the demo village may enrol")


def row_of(page: ReviewPage, registration_id: str) -> int:
    assert page.select_registration(registration_id)
    return page.queue_table.currentRow()


def test_the_queue_names_who_entered_and_shows_the_age(qtbot: QtBot, db: Database) -> None:
    old_id, young_id, old_age, young_age = register_old_and_young(db)
    page = ReviewPage(db.session, actor=lambda: BOB)
    qtbot.addWidget(page)
    headers = [page.queue_table.horizontalHeaderItem(c).text() for c in range(page.queue_table.columnCount())]
    assert headers[AGE_COLUMN] == "年龄" and headers[-1] == "录入人"
    old_row, young_row = row_of(page, old_id), row_of(page, young_id)
    assert old_age == 86
    assert cell(page.queue_table, old_row, AGE_COLUMN) == "86"
    assert cell(page.queue_table, young_row, AGE_COLUMN) == str(young_age)
    old_cell = page.queue_table.item(old_row, AGE_COLUMN)
    young_cell = page.queue_table.item(young_row, AGE_COLUMN)
    assert old_cell is not None and young_cell is not None
    assert old_cell.font().bold() and "60" in old_cell.toolTip()
    assert not young_cell.font().bold() and young_cell.toolTip() == ""
    entered = {cell(page.queue_table, row, page.queue_table.columnCount() - 1) for row in (old_row, young_row)}
    assert entered == {"李爱华"}  # not "alice"

    # Her own entries, seen by herself: still her name, marked 本人录入.
    own = ReviewPage(db.session, actor=lambda: ALICE)
    qtbot.addWidget(own)
    assert cell(own.queue_table, row_of(own, old_id), own.queue_table.columnCount() - 1) == "李爱华（本人录入）"


def test_checked_and_returned_lists_name_the_reviewer_and_show_the_whole_reason(qtbot: QtBot, db: Database) -> None:
    old_id, young_id, _old_age, _young_age = register_old_and_young(db)
    page = ReviewPage(db.session, actor=lambda: BOB)
    qtbot.addWidget(page)
    page.resize(980, 500)
    page.show()
    qtbot.waitExposed(page)
    assert page.select_registration(young_id) and page.approve_selected()
    assert cell(page.checked_table, 0, page.checked_table.columnCount() - 1) == "王复核"
    assert page.select_registration(old_id) and page.return_selected(LONG_REASON)
    page.tabs.setCurrentIndex(2)
    QApplication.processEvents()
    table = page.returned_table
    assert cell(table, 0, 4) == "村级初审（王复核）"
    reason = table.item(0, RETURN_REASON_COLUMN)
    assert reason is not None and reason.text() == LONG_REASON and reason.toolTip() == LONG_REASON
    # Wrapped within its column: the row is as tall as the text needs, so nothing is cut with "…".
    width = table.columnWidth(RETURN_REASON_COLUMN)
    needed = table.fontMetrics().boundingRect(0, 0, width - 8, 10_000, 0x1000, LONG_REASON).height()  # WordWrap
    assert table.rowHeight(0) >= needed
    assert table.columnViewportPosition(RETURN_REASON_COLUMN) + width <= table.viewport().width()
