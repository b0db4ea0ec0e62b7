"""PersonTableModel (人员列表模型): Qt's model contract, lazy fetching, filters and refresh."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import delete, event, select, update

from pensiondesk.domain.codes import PersonStatus
from pensiondesk.gui.person_model import PERSON_ID_ROLE, Column, PersonTableModel
from pensiondesk.gui.qt import QColor, Qt
from pensiondesk.services.roster import PersonFilter
from pensiondesk.store.models import Household, Person

if TYPE_CHECKING:
    from .conftest import VillageDb

pytestmark = pytest.mark.gui

HEADERS = [
    "序号",
    "姓名",
    "性别",
    "出生日期",
    "公民身份号码",
    "村民小组",
    "与户主关系",
    "参保状态",
    "联系电话",
]


def all_persons(db: VillageDb) -> list[tuple[str, str, str, str]]:
    """(id, name, initials, ID number) of every person, read straight from the table: the test's oracle."""
    with db.session_factory() as session:
        rows = session.execute(select(Person.id, Person.name, Person.name_initials, Person.id_number))
        return [tuple(row) for row in rows]  # type: ignore[misc]


def shown_ids(model: PersonTableModel) -> list[str]:
    return [model.data(model.index(row, 0), PERSON_ID_ROLE) for row in range(model.rowCount())]


def column(model: PersonTableModel, col: Column) -> list[Any]:
    return [model.data(model.index(row, col)) for row in range(model.rowCount())]


class StatementCounter:
    """Counts the SQL statements an engine runs (real queries on the real file, nothing faked)."""

    def __init__(self, db: VillageDb) -> None:
        self.statements: list[str] = []
        event.listen(db.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: object, _cursor: object, statement: str, *_args: object) -> None:
        self.statements.append(statement)

    @property
    def selects(self) -> int:
        return sum(1 for s in self.statements if s.lstrip().upper().startswith("SELECT"))


def test_model_contract(qtmodeltester: Any, village_db: VillageDb) -> None:
    model = PersonTableModel(village_db.session_factory)
    qtmodeltester.check(model)
    # The tester stays attached: resets caused by filtering and refreshing are checked too.
    model.set_filter(PersonFilter(text="张"))
    model.refresh()
    model.set_filter(PersonFilter())
    assert model.rowCount() == 300
    assert model.columnCount() == len(HEADERS)


def test_headers_are_chinese(village_db: VillageDb) -> None:
    model = PersonTableModel(village_db.session_factory)
    labels = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert labels == HEADERS
    assert model.headerData(0, Qt.Orientation.Vertical) == "1"


def test_rows_show_display_values(village_db: VillageDb) -> None:
    model = PersonTableModel(village_db.session_factory)
    first = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    seq, name, sex, birth, id_number, group, relation, status, phone = first
    assert seq == "1"
    assert group == "一组"  # sort order 1, although 二组 was created first
    assert relation == "户主"
    assert sex in {"男", "女"}
    assert len(birth) == 10 and birth[4] == "-"
    assert len(id_number) == 18
    assert status in {s.label for s in PersonStatus}
    assert phone == "" or phone.startswith("139")
    assert name[0] in "张王李刘陈杨赵黄"
    # The members' relation cells name the household head in their tooltip.
    assert {model.data(model.index(row, Column.RELATION)) for row in (1, 2)} == {"配偶", "子"}
    assert model.data(model.index(1, Column.RELATION), Qt.ItemDataRole.ToolTipRole) == f"户主：{name}"
    assert (
        model.data(model.index(0, Column.SEQ), Qt.ItemDataRole.TextAlignmentRole)
        & Qt.AlignmentFlag.AlignRight
    )


def test_roster_order_groups_then_households_head_first(village_db: VillageDb) -> None:
    model = PersonTableModel(village_db.session_factory)
    groups = column(model, Column.GROUP)
    assert groups == sorted(groups, key=["一组", "二组"].index)
    relations = column(model, Column.RELATION)
    # Households of three, the head first and the others by name.
    for start in range(0, 300, 3):
        assert relations[start] == "户主"
        assert set(relations[start + 1 : start + 3]) == {"配偶", "子"}
    names = column(model, Column.NAME)
    assert names[1] <= names[2]


def test_terminated_persons_are_greyed(village_db: VillageDb) -> None:
    model = PersonTableModel(village_db.session_factory)
    statuses = column(model, Column.STATUS)
    terminated = statuses.index("终止")
    active = statuses.index("参保缴费")
    grey = model.data(model.index(terminated, Column.NAME), Qt.ItemDataRole.ForegroundRole)
    assert isinstance(grey, QColor)
    assert model.data(model.index(terminated, Column.SEQ), Qt.ItemDataRole.ForegroundRole) == grey
    assert model.data(model.index(active, Column.NAME), Qt.ItemDataRole.ForegroundRole) is None


def test_opening_a_large_list_fetches_only_what_is_shown(large_village_db: VillageDb) -> None:
    db = large_village_db
    counter = StatementCounter(db)
    model = PersonTableModel(db.session_factory)
    assert model.rowCount() == 5000
    assert model.cached_row_count == 0  # only ids so far
    assert counter.selects == 1

    person_id = model.data(model.index(4000, Column.NAME), PERSON_ID_ROLE)
    name = model.data(model.index(4000, Column.NAME))
    assert 0 < model.cached_row_count <= model.FETCH_BLOCK
    assert counter.selects == 2
    # The neighbours came in the same block: no further query while they are painted.
    for row in range(3950, 4040):
        assert model.data(model.index(row, Column.ID_NUMBER))
    assert counter.selects == 2

    with db.session_factory() as session:
        assert name == session.get(Person, person_id).name  # type: ignore[union-attr]

    # Scrolling through everything keeps memory bounded.
    for row in range(0, 5000, 40):
        model.data(model.index(row, Column.NAME))
    assert model.cached_row_count <= model.CACHE_LIMIT


def test_refresh_rereads_changed_and_new_persons(village_db: VillageDb) -> None:
    db = village_db
    model = PersonTableModel(db.session_factory)
    person_id = model.person_id(0)
    assert model.data(model.index(0, Column.NAME)) != "张新名"
    with db.session_factory() as session:
        session.execute(update(Person).where(Person.id == person_id).values(name="张新名"))
    assert model.data(model.index(0, Column.NAME)) != "张新名"  # cached until refreshed
    db.add_persons(3, start=300)
    model.refresh()
    assert model.rowCount() == 303
    assert model.data(model.index(model.row_of(person_id) or 0, Column.NAME)) == "张新名"


def test_a_person_deleted_after_loading_shows_blank(village_db: VillageDb) -> None:
    db = village_db
    model = PersonTableModel(db.session_factory)
    row = 2  # not a head (heads come first): no household points at this person
    person_id = model.person_id(row)
    with db.session_factory() as session:
        session.execute(delete(Person).where(Person.id == person_id))
    counter = StatementCounter(db)
    assert model.data(model.index(row, Column.NAME)) is None
    assert model.data(model.index(row, Column.PHONE)) is None
    assert counter.selects == 1  # remembered as missing, not re-queried on every paint
    model.refresh()
    assert model.rowCount() == 299
    assert model.row_of(person_id) is None


def test_filter_by_name_prefix(village_db: VillageDb) -> None:
    model = PersonTableModel(village_db.session_factory)
    model.set_filter(PersonFilter(text="张三"))
    expected = {pid for pid, name, _, _ in all_persons(village_db) if name.startswith("张三")}
    assert expected
    assert set(shown_ids(model)) == expected
    assert all(name.startswith("张三") for name in column(model, Column.NAME))


@pytest.mark.parametrize("typed", ["zsf", "ZSF", "z s f"])
def test_filter_by_pinyin_initials(village_db: VillageDb, typed: str) -> None:
    model = PersonTableModel(village_db.session_factory)
    model.set_filter(PersonFilter(text=typed))
    expected = {pid for pid, _, initials, _ in all_persons(village_db) if initials.startswith("zsf")}
    assert expected  # 张三丰 is among them
    assert set(shown_ids(model)) == expected
    assert "张三丰" in column(model, Column.NAME)


def test_filter_by_id_number_tail_digits(village_db: VillageDb) -> None:
    persons = all_persons(village_db)
    tail = persons[123][3][-4:]
    model = PersonTableModel(village_db.session_factory)
    model.set_filter(PersonFilter(text=tail))
    expected = {pid for pid, _, _, id_number in persons if id_number.endswith(tail)}
    assert persons[123][0] in expected
    assert set(shown_ids(model)) == expected
    assert all(shown.endswith(tail) for shown in column(model, Column.ID_NUMBER))


def test_filter_by_full_id_number_and_by_x_check_character(village_db: VillageDb) -> None:
    persons = all_persons(village_db)
    model = PersonTableModel(village_db.session_factory)
    model.set_filter(PersonFilter(text=persons[7][3]))
    assert shown_ids(model) == [persons[7][0]]
    with_x = next(p for p in persons if p[3].endswith("X"))
    model.set_filter(PersonFilter(text=with_x[3][-3:].lower()))  # typed with a small x
    assert with_x[0] in shown_ids(model)
    assert all(shown.endswith(with_x[3][-3:]) for shown in column(model, Column.ID_NUMBER))


def test_filter_with_no_match_is_empty(village_db: VillageDb) -> None:
    model = PersonTableModel(village_db.session_factory)
    model.set_filter(PersonFilter(text="欧阳"))
    assert model.rowCount() == 0
    assert model.person_id(0) is None


def test_filter_by_group_and_status(village_db: VillageDb) -> None:
    model = PersonTableModel(village_db.session_factory)
    model.set_filter(PersonFilter(group_id=village_db.group_ids[1]))
    assert model.rowCount() == 150
    assert set(column(model, Column.GROUP)) == {"二组"}
    model.set_filter(PersonFilter(status=PersonStatus.RECEIVING))
    assert model.rowCount() == 60
    assert set(column(model, Column.STATUS)) == {"待遇领取"}


def test_id_number_font_is_only_on_its_column(village_db: VillageDb) -> None:
    from pensiondesk.gui.qt import QFont

    model = PersonTableModel(village_db.session_factory)
    assert model.data(model.index(0, Column.ID_NUMBER), Qt.ItemDataRole.FontRole) is None
    mono = QFont("DejaVu Sans Mono")
    model.set_id_number_font(mono)
    assert model.data(model.index(0, Column.ID_NUMBER), Qt.ItemDataRole.FontRole) == mono
    assert model.data(model.index(0, Column.NAME), Qt.ItemDataRole.FontRole) is None


def test_households_keep_their_head_name_after_head_changes(village_db: VillageDb) -> None:
    db = village_db
    model = PersonTableModel(db.session_factory)
    spouse_id = model.person_id(column(model, Column.RELATION).index("配偶"))
    with db.session_factory() as session:
        household_id = session.get(Person, spouse_id).household_id  # type: ignore[union-attr]
        session.execute(
            update(Household).where(Household.id == household_id).values(head_person_id=spouse_id)
        )
    model.refresh()
    row = model.row_of(spouse_id or "")
    assert row is not None
    spouse_name = model.data(model.index(row, Column.NAME))
    assert (
        model.data(model.index(row, Column.RELATION), Qt.ItemDataRole.ToolTipRole) == f"户主：{spouse_name}"
    )


def test_first_ids_then_the_rest_after_the_first_paint(qtmodeltester: Any, qtbot: Any, village_db: VillageDb) -> None:
    """``first_ids``: the first screens are there at once, the rest is appended (not reset) after the first paint."""
    full = shown_ids(PersonTableModel(village_db.session_factory))
    model = PersonTableModel(village_db.session_factory, first_ids=50)
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    assert model.rowCount() == 50 and not model.fully_loaded
    assert shown_ids(model) == full[:50]  # the start of the very same order; data() is what a paint asks
    qtbot.waitUntil(lambda: model.fully_loaded)
    assert inserted == [(50, 299)] and resets == []
    assert shown_ids(model) == full
    qtmodeltester.check(model)


def test_row_of_a_person_beyond_the_first_ids_loads_the_rest(village_db: VillageDb) -> None:
    full = shown_ids(PersonTableModel(village_db.session_factory))
    model = PersonTableModel(village_db.session_factory, first_ids=20)
    assert model.rowCount() == 20 and not model.fully_loaded
    assert model.row_of(full[250]) == 250
    assert model.fully_loaded and model.rowCount() == 300
