"""Background sync (后台同步), Qt-free: one sync at a time, retried with backoff while the server is unreachable.

:class:`SyncWorker` holds a lock, so two triggers (the timer and the "sync now" button, or the GUI and the CLI in
one process) never sync at once: the second one returns at once with ``busy``. :meth:`SyncWorker.run_forever`
is the loop the GUI runs on a worker thread (QThread/QRunnable wrapper in ``gui/sync_page.py``); it syncs when the
coordinator allows it (``allowed()``), waits ``interval`` after success and backs off exponentially (with jitter,
capped) after failures. Progress is reported through a plain callback; the GUI re-emits it as a Qt signal.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass

from pensiondesk.store.db import Database
from pensiondesk.store.errors import StoreError
from pensiondesk.sync.client import SyncClient, SyncError
from pensiondesk.sync.engine import SyncReport, client_for, run_sync

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """Result of one trigger: ``busy`` if another sync was running, else the report (with ``error`` set on failure)."""

    busy: bool
    report: SyncReport | None
    retryable: bool = False


class SyncWorker:
    """Runs syncs for one database, never two at once."""

    def __init__(
        self,
        db: Database,
        client_factory: Callable[[Database], SyncClient] | None = None,
        *,
        on_done: Callable[[Outcome], None] | None = None,
    ) -> None:
        self.db = db
        self.client_factory = client_factory or (lambda d: client_for(d))
        self.on_done = on_done
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        """Whether a sync is in progress."""
        return self._lock.locked()

    def trigger(self) -> Outcome:
        """Sync now in the calling thread, unless a sync is already running (then return ``busy``)."""
        if not self._lock.acquire(blocking=False):
            return Outcome(busy=True, report=None)
        try:
            outcome = self._sync_once()
        finally:
            self._lock.release()
        if self.on_done is not None:
            self.on_done(outcome)
        return outcome

    def _sync_once(self) -> Outcome:
        try:
            client = self.client_factory(self.db)
            try:
                return Outcome(busy=False, report=run_sync(self.db, client))
            finally:
                client.close()
        except SyncError as exc:
            return Outcome(busy=False, report=SyncReport(error=exc.message), retryable=exc.retryable)
        except StoreError as exc:
            return Outcome(busy=False, report=SyncReport(error=exc.user_message), retryable=True)
        except Exception as exc:  # a bug: keep the loop alive, log it, tell the user plainly
            log.exception("sync failed")
            return Outcome(
                busy=False, report=SyncReport(error=f"内部错误（{type(exc).__name__}），已记录日志"), retryable=True
            )

    def run_forever(
        self,
        stop: threading.Event,
        *,
        allowed: Callable[[], bool] = lambda: True,
        interval: float = 600.0,
        backoff_base: float = 15.0,
        backoff_cap: float = 1800.0,
        rng: random.Random | None = None,
    ) -> None:
        """Sync periodically until ``stop`` is set; after failures wait base·2^n (capped, jittered) seconds."""
        rng = rng or random.Random()
        failures = 0
        while not stop.is_set():
            delay = interval
            if allowed():
                outcome = self.trigger()
                if outcome.report is not None and outcome.report.error:
                    failures += 1
                    if not outcome.retryable:
                        delay = interval
                    else:
                        delay = rng.uniform(0.5, 1.0) * min(backoff_cap, backoff_base * 2 ** (failures - 1))
                else:
                    failures = 0
            stop.wait(delay)
