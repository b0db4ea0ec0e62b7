"""Village work for the sync tests, written the way the services write it: the change, its audit entry and its
outbox row in one transaction (``services.recording.record_change``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from pensiondesk.domain.codes import ReviewState, SurvivalMethod
from pensiondesk.services.recording import Actor, record_change, snapshot
from pensiondesk.store.db import Database
from pensiondesk.store.models import Contribution, OutboxEntry, Person, Registration, SurvivalCheck, new_uuid
from pensiondesk.sync.engine import local_summary

CLERK = Actor("xiezhu")


def person_ids(db: Database, n: int | None = None) -> list[str]:
    with db.session() as s:
        ids = list(s.scalars(select(Person.id).order_by(Person.id_number)))
    return ids[:n] if n else ids


def edit_person(db: Database, person_id: str, **changes: Any) -> None:
    with db.session(immediate=True) as s:
        p = s.get(Person, person_id)
        assert p is not None
        before = snapshot(p)
        base = p.version
        for k, v in changes.items():
            setattr(p, k, v)
        p.version = base + 1
        s.flush()
        record_change(
            s,
            actor=CLERK,
            action="edit_person",
            entity_type="person",
            entity_id=p.id,
            before=before,
            after=snapshot(p),
            base_version=base,
        )


def register(db: Database, person_id: str) -> str:
    with db.session(immediate=True) as s:
        reg = Registration(
            person_id=person_id,
            registered_on=date(2026, 3, 1),
            tier_fen=30000,
            review_state=ReviewState.SUBMITTED,
            entered_by="xiezhu",
        )
        s.add(reg)
        s.flush()
        record_change(
            s,
            actor=CLERK,
            action="register",
            entity_type="registration",
            entity_id=reg.id,
            before=None,
            after=snapshot(reg),
        )
        return reg.id


def contribute(db: Database, person_id: str, year: int = 2026, fen: int = 30000) -> str:
    with db.session(immediate=True) as s:
        c = Contribution(person_id=person_id, year=year, tier_fen=fen, personal_fen=fen, paid_on=date(year, 4, 1))
        s.add(c)
        s.flush()
        record_change(
            s, actor=CLERK, action="collect", entity_type="contribution", entity_id=c.id, before=None, after=snapshot(c)
        )
        return c.id


def certify(db: Database, person_id: str, on: date = date(2026, 5, 1)) -> str:
    with db.session(immediate=True) as s:
        c = SurvivalCheck(
            person_id=person_id,
            checked_on=on,
            method=SurvivalMethod.HOME_VISIT,
            certifier="xiezhu",
        )
        s.add(c)
        s.flush()
        record_change(
            s,
            actor=CLERK,
            action="certify",
            entity_type="survival_check",
            entity_id=c.id,
            before=None,
            after=snapshot(c),
        )
        return c.id


def expected_records(db: Database) -> dict[tuple[str, str], dict[str, Any]]:
    """What the county must hold from this laptop: each record's latest sent content (deletes removed)."""
    latest: dict[tuple[str, str], OutboxEntry] = {}
    with db.session() as s:
        for row in s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)):
            latest[(row.record_type, row.record_id)] = row
        return {
            key: {k: v for k, v in row.payload.items() if not k.startswith("_")}
            for key, row in latest.items()
            if row.operation != "delete"
        }


def outbox_states(db: Database) -> dict[str, int]:
    from pensiondesk.sync.outbox import counts_by_state

    with db.session() as s:
        return counts_by_state(s)


def summary(db: Database) -> dict[str, tuple[int, str]]:
    with db.session() as s:
        return local_summary(s)


def new_id() -> str:
    return new_uuid()
