"""The person form says a likely duplicate once (QA: the same registered person was named twice, under 姓名 for
the same name and birth date and under 公民身份号码 for the ID one digit away). Real SQLite file, form offscreen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pensiondesk.gui.person_form import PersonForm
from pensiondesk.services import people
from pensiondesk.services.people_types import PersonInput
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import County, Setting, Township, Village

pytestmark = pytest.mark.gui

TODAY = date(2026, 3, 2)
CLERK = Actor("clerk")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def valid_id(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "village.sqlite")
    with database.session() as s:
        county = County(code="410522", name="安和县")
        s.add(county)
        s.flush()
        township = Township(county_id=county.id, code="410522101", name="青山镇")
        s.add(township)
        s.flush()
        village = Village(township_id=township.id, code="410522101201", name="红旗村")
        s.add(village)
        s.flush()
        s.add(Setting(key="village_id", value=village.id))
        people.add_person(
            s, CLERK, PersonInput(name="张三", id_number=valid_id("41052219700315011")), village_id=village.id
        )
    yield database
    database.close()


def test_a_likely_duplicate_is_said_once(qtbot: QtBot, db: Database) -> None:
    form = PersonForm(db.session, today=TODAY, actor=lambda: CLERK)
    qtbot.addWidget(form)
    form.show()
    form.name_edit.setText("张三")
    form.id_edit.setText(valid_id("41052219700315013"))  # the same birth date, sequence 011 typed as 013
    problems = form.validate_now()
    assert [p.code for p in problems] == ["similar_id"]
    shown = [label.text() for label in form.problem_labels.values() if label.isVisible()]
    assert sum(text.count("疑似重复登记") for text in shown) == 1
    assert "前 17 位只有第 17 位数字不同" in "".join(shown)
