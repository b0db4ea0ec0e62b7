"""A hardship category imported without its proof (QA): the import says the proof is owed, the person form says so
under the categories, and 参保身份和证明材料… completes the proof and validity (or adds a category with its proof).

Real SQLite file (migrations), a real .csv roster through the import service, the real form and dialog offscreen.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pensiondesk.gui.category_dialog import CategoryDialog
from pensiondesk.gui.person_form import PersonForm
from pensiondesk.gui.qt import QApplication, QTimer
from pensiondesk.services import people, roster_import
from pensiondesk.services.recording import Actor
from pensiondesk.services.roster import PersonFilter, list_person_ids
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import AuditEntry, County, OutboxEntry, Person, PersonCategory, Setting, Township, Village

pytestmark = pytest.mark.gui

TODAY = date(2026, 3, 2)
CLERK = Actor("clerk")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def valid_id(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


POOR = valid_id("41052219700101021")
PLAIN = valid_id("41052219710202031")


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
    yield database
    database.close()


def imported(db: Database, tmp_path: Path) -> tuple[roster_import.ImportPlan, str]:
    roster = tmp_path / "花名册.csv"
    roster.write_text(f"姓名,身份证号,参保身份\n钱低保,{POOR},061\n孙普通,{PLAIN},普通\n", encoding="utf-8")
    with db.session() as s:
        village_id = s.get(Setting, "village_id").value  # type: ignore[union-attr]
        plan = roster_import.plan_import(s, roster, village_id=village_id, today=TODAY)
    with db.session() as s:
        roster_import.execute_import(s, CLERK, plan)
    with db.session() as s:
        person_id = s.scalar(select(Person.id).where(Person.id_number == POOR))
    assert person_id is not None
    return plan, person_id


def test_the_import_says_the_proof_is_still_owed(db: Database, tmp_path: Path) -> None:
    plan, person_id = imported(db, tmp_path)
    poor, plain = plan.rows
    assert [p.code for p in poor.warnings] == ["proof_owed"]
    assert "061 低保对象（061）属于困难群体" in poor.describe() and "补登" in poor.describe()
    assert not plain.warnings  # 普通 owes nothing
    # The list's 材料未交齐 filter finds the person until the proof is entered.
    owing = PersonFilter(missing_documents_year=TODAY.year, today=TODAY)
    with db.session() as s:
        assert list_person_ids(s, owing) == [person_id]
        record = s.scalars(select(PersonCategory).where(PersonCategory.person_id == person_id)).one()
        people.complete_category(s, CLERK, record.id, "低保证2026-031", date(2026, 1, 1))
    with db.session() as s:
        assert list_person_ids(s, owing) == []


def test_the_form_says_so_and_the_dialog_completes_the_proof(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    _, person_id = imported(db, tmp_path)
    form = PersonForm(db.session, person_id, today=TODAY, actor=lambda: CLERK)
    qtbot.addWidget(form)
    form.show()
    hint = form.problem_labels["category_codes"]
    assert hint.isVisible() and "“061 低保对象（061）”还没有登记证明材料编号和有效期" in hint.text()
    assert form.categories_button.isVisible() and form.categories_button.isEnabled()

    seen: dict[str, object] = {}

    def complete() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            assert isinstance(dialog, CategoryDialog)
            assert dialog.category_combo.currentData().startswith("held:")  # the record owing its proof is chosen
            seen["table"] = dialog.table.item(0, 3).text()  # type: ignore[union-attr]
            assert not dialog.save()  # a hardship group needs its proof reference
            seen["refused"] = dialog.problem_labels["proof_ref"].text()
            dialog.proof_edit.setText("低保证2026-031")
            dialog.from_edit.setText("2026-01-01")
            seen["saved"] = dialog.save()
        finally:
            if dialog is not None:
                dialog.accept()

    QTimer.singleShot(0, complete)
    form.edit_categories()
    assert seen == {
        "table": "缺证明材料，请补登",
        "refused": "✖ “低保对象（061）”属于困难群体，需要政府代缴，必须登记证明材料编号",
        "saved": True,
    }
    assert not hint.isVisible()  # nothing owed any more
    with db.session() as s:
        record = s.scalars(select(PersonCategory).where(PersonCategory.person_id == person_id)).one()
        assert (record.proof_ref, record.valid_from, record.valid_to) == ("低保证2026-031", date(2026, 1, 1), None)
        audited = s.scalar(select(func.count()).where(AuditEntry.action == "complete_category"))
        queued = s.scalar(select(func.count()).where(OutboxEntry.record_id == record.id))
    assert audited == 1 and queued == 2  # added by the import, completed here


def test_the_dialog_adds_a_category_with_its_proof(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    _, person_id = imported(db, tmp_path)
    dialog = CategoryDialog(db.session, person_id, "钱低保", today=TODAY, actor=lambda: CLERK)
    qtbot.addWidget(dialog)
    labels = [dialog.category_combo.itemText(i) for i in range(dialog.category_combo.count())]
    assert labels[0] == "061 低保对象（061）" and "新增：021 残疾一级" in labels
    assert not any("普通" in label for label in labels)  # 普通 is having none of the others
    dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("new:021"))
    dialog.proof_edit.setText("残疾证41052219700101")
    dialog.from_edit.setText("2026/2/1")
    assert dialog.save()
    assert dialog.changed and dialog.table.rowCount() == 2
    dialog.to_edit.setText("2026-13-01")
    assert not dialog.save()
    assert "年-月-日" in dialog.problem_labels["valid_to"].text()
    with db.session() as s:
        codes = set(s.scalars(select(PersonCategory.category_code).where(PersonCategory.person_id == person_id)))
    assert codes == {"061", "021"}


def test_a_new_person_ticked_as_hardship_is_told_the_proof_is_owed(qtbot: QtBot, db: Database) -> None:
    form = PersonForm(db.session, today=TODAY, actor=lambda: CLERK)
    qtbot.addWidget(form)
    form.show()
    assert "category_011" not in {box.objectName() for box in form.category_boxes.values()}
    form.category_boxes["061"].setChecked(True)
    form.validate_now()
    assert (
        "“061 低保对象（061）”属于困难群体：保存后请登记证明材料编号和有效期"
        in form.problem_labels["category_codes"].text()
    )
