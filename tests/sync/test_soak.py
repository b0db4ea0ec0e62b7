"""Randomised soak (浸泡测试): hundreds of syncs with faults at random points, then exactly the laptop's records.

Each trial does a little village work, then syncs through the fault-injecting proxy (5xx, dropped answers after
the server committed, bodies cut either way) and sometimes "kills the laptop" right after the server answered
(the answer is never recorded). At the end one clean sync must leave the county holding exactly the laptop's
records: none lost, none duplicated, every outbox row accepted.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from pensiondesk.county.models import RecordRow
from pensiondesk.store.db import Database
from pensiondesk.store.models import Contribution
from pensiondesk.sync.client import SyncClient, SyncError
from pensiondesk.sync.engine import run_sync
from pensiondesk.sync.protocol import PushRequest, PushResponse

from .conftest import CountyServer
from .faultproxy import FaultProxy
from .test_failures import _token
from .test_push_pull import enrolled
from .work import contribute, edit_person, expected_records, outbox_states, person_ids, register

TRIALS = 300


class LaptopKilled(Exception):
    """The laptop died after the server answered, before the answer was stored."""


class DyingClient(SyncClient):
    """A client whose laptop sometimes dies right after a push was answered."""

    def __init__(self, *args: object, rng: random.Random, death_rate: float, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._rng = rng
        self._death_rate = death_rate

    def push(self, request: PushRequest) -> PushResponse:
        response = super().push(request)
        if self._rng.random() < self._death_rate:
            raise LaptopKilled
        return response


@pytest.mark.slow
def test_soak_with_random_faults(server: CountyServer, laptop_factory: Callable[..., Database]) -> None:
    rng = random.Random(20260301)
    db, _client, village = enrolled(server, laptop_factory, persons=40)
    proxy = FaultProxy(server.port, fault_rate=0.3, seed=7).start()
    client = DyingClient(
        proxy.url, _token(db), retries=1, backoff_base=0.001, backoff_cap=0.01, rng=rng, death_rate=0.1
    )
    pids = person_ids(db)
    outcomes: Counter[str] = Counter()
    try:
        for trial in range(TRIALS):
            for _ in range(rng.randint(0, 3)):
                action = rng.random()
                pid = rng.choice(pids)
                if action < 0.5:
                    contribute(db, pid, year=2000 + trial % 26)
                elif action < 0.8:
                    edit_person(db, pid, phone=f"139{trial:08d}")
                else:
                    register(db, pid)
            try:
                run_sync(db, client, check=False)
                outcomes["ok"] += 1
            except LaptopKilled:
                outcomes["laptop_killed"] += 1
            except SyncError as exc:
                outcomes[exc.code or "error"] += 1
    finally:
        proxy.stop()
    report = run_sync(db, SyncClient(server.url, _token(db), retries=0))
    faults = {k: v for k, v in proxy.counts.items() if k != "pass"}
    print(f"soak: {TRIALS} trials, outcomes {dict(outcomes)}, proxy faults {faults}")
    assert sum(faults.values()) > 100 and outcomes["laptop_killed"] > 5
    assert report.error is None and not report.mismatches
    assert set(outbox_states(db)) == {"accepted"}
    expected = expected_records(db)
    held = server.records(village)
    assert held == expected  # none lost, none changed
    with server.session() as s:  # and none duplicated
        county_contributions = s.scalar(
            select(func.count()).select_from(RecordRow).where(RecordRow.record_type == "contribution")
        )
    with db.session() as s:
        assert county_contributions == s.scalar(select(func.count()).select_from(Contribution))
