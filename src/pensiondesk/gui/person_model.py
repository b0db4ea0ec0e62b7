"""Table model of the person list (人员列表): holds ids, fetches rows on demand.

The model keeps only the ordered person ids of the current filter (Anki's browser ``DataModel`` pattern).
When the view asks ``data()`` for a row whose person is not cached, the model fetches a block of rows around
it in one query through :mod:`pensiondesk.services.roster` and keeps them in a bounded LRU cache. Opening a
list of 100,000 persons therefore costs one query for ids plus one for the screenful that is visible, and
scrolling costs one query per block.

With ``first_ids``, a new model first loads only that many ids (the first screens, in roster order; SQLite keeps
only the top rows while sorting) and appends the rest right after the first paint (rows inserted, so nothing the
coordinator sees moves): the person page opens on 100,000 persons without waiting for all their ids.

A person whose 与户主关系 is still to be checked after a change of household head (关系待核对) shows it in the
与户主关系 cell: "子（待核对）" on an amber background, with a tooltip saying where to check it.

Every cached row carries the stamp of the moment it was fetched; :meth:`PersonTableModel.refresh` moves the
stamp on, so rows fetched before are re-read the next time they are painted.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractContextManager
from enum import IntEnum
from typing import Any

from sqlalchemy.orm import Session

from pensiondesk.gui.qt import (
    QAbstractTableModel,
    QColor,
    QFont,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from pensiondesk.services.roster import PersonFilter, PersonRow, fetch_person_rows, list_person_ids

__all__ = ["PERSON_ID_ROLE", "Column", "PersonTableModel", "SessionFactory"]

#: Something that opens a database session for a ``with`` block (``Database.session`` in the application).
SessionFactory = Callable[[], AbstractContextManager[Session]]

#: The role under which every cell answers its person's id.
PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    """Columns of the person list, left to right."""

    SEQ = 0  # 序号
    NAME = 1  # 姓名
    SEX = 2  # 性别
    BIRTH_DATE = 3  # 出生日期
    ID_NUMBER = 4  # 公民身份号码
    GROUP = 5  # 村民小组
    RELATION = 6  # 与户主关系
    STATUS = 7  # 参保状态
    PHONE = 8  # 联系电话


_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_ALIGNMENT = {
    Column.SEQ: _RIGHT,
    Column.NAME: _LEFT,
    Column.SEX: _CENTER,
    Column.BIRTH_DATE: _CENTER,
    Column.ID_NUMBER: _LEFT,
    Column.GROUP: _LEFT,
    Column.RELATION: _CENTER,
    Column.STATUS: _CENTER,
    Column.PHONE: _LEFT,
}
_TERMINATED_COLOUR = QColor(128, 128, 128)
#: Background of a relation still to check (the household window's 待核对 colour).
_TO_CHECK_COLOUR = QColor("#fff3c4")


class PersonTableModel(QAbstractTableModel):
    """The person list: ids of the current :class:`PersonFilter`, rows fetched as they are shown."""

    #: Rows fetched together when a row is missing: about four screenfuls, centred on the row asked for.
    FETCH_BLOCK = 200
    #: Most rows kept in memory; the least recently painted are dropped first.
    CACHE_LIMIT = 3000

    def __init__(
        self,
        session_factory: SessionFactory,
        parent: QObject | None = None,
        *,
        flt: PersonFilter | None = None,
        first_ids: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._filter = flt or PersonFilter()
        self._ids: list[str] = []
        # person id → (stamp when fetched, row); ``None`` marks a person deleted since the ids were loaded.
        self._cache: OrderedDict[str, tuple[int, PersonRow | None]] = OrderedDict()
        self._stamp = 0
        self._headers = (
            self.tr("序号"),
            self.tr("姓名"),
            self.tr("性别"),
            self.tr("出生日期"),
            self.tr("公民身份号码"),
            self.tr("村民小组"),
            self.tr("与户主关系"),
            self.tr("参保状态"),
            self.tr("联系电话"),
        )
        self._id_number_font: QFont | None = None
        self._ids = self._load_ids(first_ids)
        # True while only the first ids are loaded; the first data() call schedules the rest (after that paint).
        self._rest_pending = first_ids is not None and len(self._ids) >= first_ids
        self._rest_scheduled = False

    # --- what the rest of the GUI asks ----------------------------------------------------------------------

    @property
    def filter(self) -> PersonFilter:
        """The filter the current ids were loaded with."""
        return self._filter

    @property
    def cached_row_count(self) -> int:
        """How many person rows are held in memory (bounded by :attr:`CACHE_LIMIT`)."""
        return len(self._cache)

    def set_filter(self, flt: PersonFilter) -> None:
        """Show the persons matching ``flt`` (reloads the ids; cached rows stay valid)."""
        self.beginResetModel()
        self._filter = flt
        self._ids = self._load_ids()
        self._rest_pending = False
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read everything: the ids (persons added or removed) and, as they are painted, the rows."""
        self.beginResetModel()
        self._stamp += 1
        self._ids = self._load_ids()
        self._rest_pending = False
        self.endResetModel()

    def person_id(self, row: int) -> str | None:
        """The id of the person shown in ``row``, or ``None`` outside the list."""
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, person_id: str) -> int | None:
        """The row showing ``person_id``, or ``None`` when the current filter hides that person."""
        self.load_rest()
        try:
            return self._ids.index(person_id)
        except ValueError:
            return None

    @property
    def fully_loaded(self) -> bool:
        """Whether every id of the filter is loaded (not only the first screens)."""
        return not self._rest_pending

    def load_rest(self) -> None:
        """Append the ids after the first screens, if only those are loaded (rows inserted, nothing moves)."""
        if not self._rest_pending:
            return
        self._rest_pending = False
        everything = self._load_ids()
        loaded = len(self._ids)
        if everything[:loaded] != self._ids:  # the list changed meanwhile: start again from it
            self.beginResetModel()
            self._ids = everything
            self.endResetModel()
        elif len(everything) > loaded:
            self.beginInsertRows(QModelIndex(), loaded, len(everything) - 1)
            self._ids = everything
            self.endInsertRows()

    def set_id_number_font(self, font: QFont | None) -> None:
        """Paint the 公民身份号码 column in ``font`` (a fixed-pitch font keeps the digits of IDs aligned)."""
        self._id_number_font = font
        if self._ids:
            top, bottom = self.index(0, Column.ID_NUMBER), self.index(len(self._ids) - 1, Column.ID_NUMBER)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.FontRole])

    # --- QAbstractTableModel --------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default argument
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _CENTER
        elif (
            orientation == Qt.Orientation.Vertical
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._ids)
        ):
            return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._rest_pending and not self._rest_scheduled:
            self._rest_scheduled = True
            QTimer.singleShot(0, self, self.load_rest)  # once this paint is done
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGNMENT.get(Column(column), _LEFT)
        if role == PERSON_ID_ROLE:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.FontRole:
            return self._id_number_font if column == Column.ID_NUMBER else None
        if role == Qt.ItemDataRole.BackgroundRole:
            if column != Column.RELATION:
                return None
            marked = self._row(index.row())
            return _TO_CHECK_COLOUR if marked is not None and marked.relation_to_check else None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            return None
        if column == Column.SEQ and role == Qt.ItemDataRole.DisplayRole:
            return str(index.row() + 1)  # the row number needs no fetch
        person = self._row(index.row())
        if person is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return _TERMINATED_COLOUR if person.is_terminated else None  # the whole row, 序号 included
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == Column.RELATION and person.relation_to_check:
                return self.tr("户主已变更为 %s，这是与原户主的关系，还没有核对；按 Ctrl+H 打开“家庭”核对") % (
                    person.household_head
                )
            if column == Column.RELATION and person.household_head:
                return self.tr("户主：%s") % person.household_head
            return None
        if column == Column.RELATION and person.relation_to_check:
            return self.tr("%s（待核对）") % person.relation
        return _display(person, Column(column))

    # --- fetching -------------------------------------------------------------------------------------------

    def _load_ids(self, limit: int | None = None) -> list[str]:
        with self._session_factory() as session:
            return list_person_ids(session, self._filter, limit=limit)

    def _row(self, row: int) -> PersonRow | None:
        person_id = self._ids[row]
        if self._is_missing(person_id):
            self._fetch_around(row)
        self._cache.move_to_end(person_id)
        return self._cache[person_id][1]  # None: deleted since the ids were loaded, blank until a refresh

    def _fetch_around(self, row: int) -> None:
        """Fetch the missing or stale rows of the block centred on ``row``."""
        start = max(0, row - self.FETCH_BLOCK // 2)
        stop = min(len(self._ids), start + self.FETCH_BLOCK)
        start = max(0, stop - self.FETCH_BLOCK)
        wanted = [pid for pid in self._ids[start:stop] if self._is_missing(pid)]
        with self._session_factory() as session:
            fetched = fetch_person_rows(session, wanted)
        for pid in wanted:
            self._cache.pop(pid, None)  # re-inserted at the recent end
            self._cache[pid] = (self._stamp, fetched.get(pid))
        while len(self._cache) > self.CACHE_LIMIT:
            self._cache.popitem(last=False)

    def _is_missing(self, person_id: str) -> bool:
        cached = self._cache.get(person_id)
        return cached is None or cached[0] != self._stamp


def _display(person: PersonRow, column: Column) -> str:
    match column:
        case Column.NAME:
            return person.name
        case Column.SEX:
            return person.sex
        case Column.BIRTH_DATE:
            return person.birth_date
        case Column.ID_NUMBER:
            return person.id_number
        case Column.GROUP:
            return person.group_name
        case Column.RELATION:
            return person.relation
        case Column.STATUS:
            return person.status
        case Column.PHONE:
            return person.phone
    return ""
