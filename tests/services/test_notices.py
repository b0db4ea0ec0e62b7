"""Public notices (公示): the list of each kind, masked, kept as a snapshot; posting period; objections."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from pensiondesk.domain.codes import NoticeKind, PersonStatus
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.notices import (
    NoticePeriod,
    add_objection,
    build_notice,
    list_notices,
    notice_content,
    objections_of,
    parse_period,
    resolve_objection,
)
from pensiondesk.services.pensioner_common import group_names
from pensiondesk.services.pensioner_demo import seed_pensioner_histories
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import AuditEntry, OutboxEntry, Person, PublicNotice

AS_OF = date(2026, 11, 20)
ACTOR = Actor("wang")
FULL_ID = re.compile(r"\d{17}[\dX]")
LONG_DIGITS = re.compile(r"\d{11,}")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("notices") / "demo.sqlite"
    db = open_database(path)
    with db.session() as s:
        create_demo_village(s, persons=800, seed=3, as_of=AS_OF)
        seed_pensioner_histories(s, as_of=AS_OF, seed=3)
    db.close()
    return path


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    copy = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_file, copy)
    database = open_database(copy)
    yield database
    database.close()


def _cells(content: dict[str, object]) -> list[str]:
    groups = content["groups"]
    assert isinstance(groups, list)
    return [cell for group in groups for row in group["rows"] for cell in row]


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_kind_is_masked_and_grouped(db: Database, kind: NoticeKind) -> None:
    period = NoticePeriod(date(2024, 1, 1), date(2026, 12, 31), "2024—2026年") if kind is NoticeKind.DEATH else None
    with db.session() as s:
        notice = build_notice(s, kind=kind, posted_on=AS_OF, actor=ACTOR, period=period)
        content = notice.snapshot
        phones = {p for p in s.scalars(select(Person.phone)) if p}
        cards = {c for c in s.scalars(select(Person.bank_card)) if c}
        numbers = set(s.scalars(select(Person.id_number)))
        order = list(group_names(s).values())
    cells = _cells(content)
    assert content["total"] > 0, kind
    assert not any(FULL_ID.search(c) or LONG_DIGITS.search(c) for c in cells)
    assert not (set(cells) & (phones | cards | numbers))
    ids = [row[3] for group in content["groups"] for row in group["rows"]]
    assert all(re.fullmatch(r"\d{6}\*{8}[\dX]{4}", shown) for shown in ids)
    assert [c["title"] for c in content["columns"]][:4] == ["序号", "姓名", "性别", "公民身份号码"]
    names = [g["name"] for g in content["groups"]]
    assert names == [n for n in order if n in names]  # the villager groups' order
    for group in content["groups"]:
        assert [row[0] for row in group["rows"]] == [str(i) for i in range(1, len(group["rows"]) + 1)]
    assert notice.ends_on == AS_OF + timedelta(days=6)
    assert content["title"] == notice.title and notice.title.startswith("红旗村")


def test_snapshot_reprints_the_same_list_after_the_data_changes(db: Database) -> None:
    with db.session() as s:
        notice = build_notice(s, kind=NoticeKind.ENROLMENT, posted_on=AS_OF, actor=ACTOR)
        notice_id, before = notice.id, notice.snapshot
    with db.session() as s:
        s.execute(update(Person).where(Person.status == PersonStatus.CONTRIBUTING).values(name="改名"))
    with db.session() as s:
        again = s.get(PublicNotice, notice_id)
        assert again is not None and again.snapshot == before
        fresh = notice_content(s, kind=NoticeKind.ENROLMENT, period=parse_period("2026"), as_of=AS_OF)
        assert {row[1] for g in fresh["groups"] for row in g["rows"]} == {"改名"}


def test_groups_names_and_options(db: Database) -> None:
    with db.session() as s:
        first = next(iter(group_names(s)))
        notice = build_notice(
            s, kind=NoticeKind.SURVIVAL, posted_on=AS_OF, actor=ACTOR, group_ids=[first], mask_names=True, days=5
        )
        content = notice.snapshot
        assert [g["id"] for g in content["groups"]] == [first]
        assert all("*" in row[1] for row in content["groups"][0]["rows"] if len(row[1]) > 1)
        assert notice.ends_on == AS_OF + timedelta(days=4) and notice.group_ids == [first]
        with pytest.raises(ServiceError, match="村民小组不存在"):
            build_notice(s, kind=NoticeKind.SURVIVAL, posted_on=AS_OF, actor=ACTOR, group_ids=["nope"])
        with pytest.raises(ServiceError, match="公示天数"):
            build_notice(s, kind=NoticeKind.SURVIVAL, posted_on=AS_OF, actor=ACTOR, days=0)
        assert (
            s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "public_notice.create"))
            == 1
        )
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == 1


def test_objections_during_the_period(db: Database) -> None:
    with db.session() as s:
        notice = build_notice(s, kind=NoticeKind.BENEFIT, posted_on=date(2026, 11, 1), actor=ACTOR)
        with pytest.raises(ServiceError, match="早于公示张贴日期"):
            add_objection(s, notice.id, raised_on=date(2026, 10, 31), content="不对", actor=ACTOR)
        with pytest.raises(ServiceError, match="异议内容"):
            add_objection(s, notice.id, raised_on=date(2026, 11, 2), content=" ", actor=ACTOR)
        objection = add_objection(
            s, notice.id, raised_on=date(2026, 11, 3), content="第三组某某已在外地领取", raised_by="村民", actor=ACTOR
        )
        resolve_objection(s, objection.id, resolution="经核实已转入职工养老保险，已撤回申请", actor=ACTOR)
        (found,) = objections_of(s, notice.id)
        assert found.resolution and found.raised_by == "村民"
        assert [n.id for n in list_notices(s, kind=NoticeKind.BENEFIT)] == [notice.id]


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2026", "2026年度", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026年度", "2026年度", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-02", "2026年2月", date(2026, 2, 1), date(2026, 2, 28)),
        ("2028年2月", "2028年2月", date(2028, 2, 1), date(2028, 2, 29)),
    ],
)
def test_periods(text: str, label: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.label, period.start, period.end) == (label, start, end)


def test_bad_period() -> None:
    with pytest.raises(ServiceError):
        parse_period("2026-13")
    with pytest.raises(ServiceError):
        parse_period("去年")
