"""One sync, start to finish (一次同步): enrol, handshake, push the outbox, pull county data, check.

Qt-free; the CLI calls :func:`run_sync` directly and the GUI through ``sync.worker``. Each step that changes the
local database is its own short transaction, so a crash or a dropped link at any point leaves a state the next
run continues from: rows in flight are re-sent under the same batch ID, and a pull page is applied together with
its cursor.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import OutboxState
from pensiondesk.services.recording import canonical
from pensiondesk.store.db import Database
from pensiondesk.store.models import County, OutboxEntry, Setting, SyncState, Township, Village, utcnow
from pensiondesk.sync import outbox
from pensiondesk.sync.apply import apply_page
from pensiondesk.sync.audit_head import chain_report, remember_verdict, warning_text
from pensiondesk.sync.client import SyncClient, SyncError
from pensiondesk.sync.protocol import PROTOCOL_VERSION, PushRequest, SummaryResponse, record_digest
from pensiondesk.sync.signing import new_private_key, public_key
from pensiondesk.sync.update import UpdateNeed, remember_versions, update_message, update_need

PRIVATE_KEY_SETTING = "sync_private_key"
SERVER_KEY_SETTING = "sync_server_public_key"
#: A clock further off than this gets a warning (property 11).
CLOCK_WARNING_SECONDS = 300


class NotEnrolled(SyncError):
    """This laptop has no device token yet."""

    def __init__(self) -> None:
        super().__init__(
            "本机尚未登记到县级服务器。请先运行：pensiondesk sync enroll --server 地址 --code 登记码",
            retryable=False,
            code="not_enrolled",
        )


@dataclass
class SyncReport:
    """What one sync did, for the status line and the log."""

    pushed_batches: int = 0
    results: dict[str, int] = field(default_factory=dict)
    pulled: dict[str, int] = field(default_factory=dict)
    epoch_restarted: int = 0
    clock_skew_seconds: int | None = None
    mismatches: list[str] = field(default_factory=list)
    error: str | None = None
    #: ``"required"``: below the county's minimum version, nothing was sent or received; ``"available"``: synced,
    #: and a newer version exists. The versions are what the county's handshake announced.
    update: UpdateNeed | None = None
    min_app_version: str | None = None
    latest_app_version: str | None = None
    #: The county's warning about this laptop's audit trail (edited, deleted, rolled back), if any.
    audit_warning: str | None = None

    @property
    def update_text(self) -> str | None:
        """The update notice, if any."""
        return update_message(self.update, self.min_app_version, self.latest_app_version)

    def text(self) -> str:
        """One line of plain Chinese."""
        if self.error:
            return f"同步未完成：{self.error}"
        if self.update == "required":
            return f"同步未进行：{self.update_text}。待上传的记录都保存在本机，升级后会自动上传"
        parts = [f"上传 {sum(self.results.values())} 条"]
        bad = self.results.get("rejected", 0) + self.results.get("conflict", 0)
        if bad:
            parts.append(f"其中 {bad} 条需要处理")
        parts.append(f"接收县里数据 {sum(self.pulled.values())} 条")
        if self.mismatches:
            parts.append(f"核对发现 {len(self.mismatches)} 处不一致")
        if self.clock_skew_seconds is not None and abs(self.clock_skew_seconds) > CLOCK_WARNING_SECONDS:
            parts.append(clock_warning(self.clock_skew_seconds))
        text = "同步完成：" + "，".join(parts)
        if self.update == "available":
            text += f"。{self.update_text}"
        if self.audit_warning:
            text += f"。注意：{self.audit_warning}"
        return text


def clock_warning(skew: int) -> str:
    """A warning about this laptop's clock (shown, never used to decide anything)."""
    hours = abs(skew) / 3600
    side = "快" if skew > 0 else "慢"
    return f"本机时钟比县里{side}约 {hours:.1f} 小时，请校正电脑时间"


def sync_state(session: Session) -> SyncState | None:
    """The enrolment row, if any."""
    return session.get(SyncState, 1)


def enroll(
    db: Database, server_url: str, code: str, device_name: str | None = None, client: SyncClient | None = None
) -> SyncState:
    """Enrol this laptop with the county using a one-time code, then queue all existing records for upload."""
    private_key = new_private_key()
    client = client or SyncClient(server_url)
    answer = client.enrol(code.strip().upper(), device_name or platform.node() or "laptop", public_key(private_key))
    with db.session(immediate=True) as session:
        village = session.scalar(select(Village).where(Village.code == answer.village_code))
        villages = session.scalars(select(Village)).all()
        if village is None and villages:
            names = "、".join(f"{v.name}（{v.code}）" for v in villages)
            raise SyncError(
                f"登记码属于 {answer.village_name}（{answer.village_code}），但本机数据库是 {names}。"
                "请使用本村的登记码，或在新的数据库中登记。",
                retryable=False,
                code="wrong_village",
            )
        if village is None:
            village = _create_places(
                session, answer.village_code, answer.village_name, answer.township_name, answer.county_name
            )
        state = session.get(SyncState, 1) or SyncState(id=1)
        state.server_url = server_url.rstrip("/")
        state.device_id = answer.device_id
        state.device_token = answer.device_token
        state.village_id = village.id
        state.server_epoch = answer.server_epoch
        state.pull_cursor = 0
        state.batch_file_seq = 0
        state.last_result = "已登记"
        session.add(state)
        session.merge(Setting(key=PRIVATE_KEY_SETTING, value=private_key))
        session.merge(Setting(key=SERVER_KEY_SETTING, value=answer.server_public_key))
        session.merge(Setting(key="village_id", value=village.id))
        outbox.enqueue_baseline(session)
    return state


def _create_places(
    session: Session, village_code: str, village_name: str, township_name: str, county_name: str
) -> Village:
    county = session.scalar(select(County).where(County.code == village_code[:6])) or County(
        code=village_code[:6], name=county_name or village_code[:6]
    )
    session.add(county)
    session.flush()
    township = session.scalar(select(Township).where(Township.code == village_code[:9])) or Township(
        county_id=county.id, code=village_code[:9], name=township_name or village_code[:9]
    )
    session.add(township)
    session.flush()
    village = Village(township_id=township.id, code=village_code, name=village_name)
    session.add(village)
    session.flush()
    return village


def client_for(db: Database, **kwargs: Any) -> SyncClient:
    """A client for the server this laptop enrolled with."""
    with db.session() as session:
        state = sync_state(session)
        if state is None or not state.device_token or not state.server_url:
            raise NotEnrolled()
        return SyncClient(state.server_url, state.device_token, **kwargs)


def run_sync(db: Database, client: SyncClient, *, pull_limit: int = 500, check: bool = True) -> SyncReport:
    """Handshake, push until the outbox is empty, pull until caught up, compare; raises :class:`SyncError`.

    When the county asks for a newer program than this one (``min_app_version``), nothing is pushed or pulled:
    the report says ``update="required"`` and every outbox row stays as it was, to be sent after the update.
    """
    report = SyncReport()
    hello = client.handshake()
    report.clock_skew_seconds = hello.clock_skew_seconds
    report.min_app_version = hello.min_app_version
    report.latest_app_version = hello.latest_app_version
    report.update = update_need(hello.min_app_version, hello.latest_app_version)
    with db.session(immediate=True) as session:
        state = sync_state(session)
        if state is None:
            raise NotEnrolled()
        state.clock_skew_seconds = hello.clock_skew_seconds
        remember_versions(session, hello.min_app_version, hello.latest_app_version)
        if report.update == "required":
            # Stop before anything changes: no epoch restart, no push, no pull (an old program must not apply
            # data it may not understand). The outbox is untouched.
            state.last_result = report.text()[:500]
            return report
        if state.server_epoch and state.server_epoch != hello.server_epoch:
            report.epoch_restarted = outbox.restart_for_new_epoch(session)
            state.pull_cursor = 0
        state.server_epoch = hello.server_epoch
        epoch = hello.server_epoch
    if hello.audit_checkpoints is not None:  # a county that checks audit chain heads (old ones do not)
        report.audit_warning = report_audit_head(db, client, hello.audit_checkpoints)
    while True:
        with db.session(immediate=True) as session:
            batch = outbox.claim_batch(session, max_records=hello.max_batch_records, max_bytes=hello.max_body_bytes)
        if batch is None:
            break
        request = PushRequest(
            protocol_version=PROTOCOL_VERSION, batch_id=batch.batch_id, epoch=epoch, records=batch.records
        )
        response = client.push(request)
        with db.session(immediate=True) as session:
            counts = outbox.record_answer(session, response)
        report.pushed_batches += 1
        for key, n in counts.items():
            report.results[key] = report.results.get(key, 0) + n
    while True:
        with db.session() as session:
            state = sync_state(session)
            assert state is not None
            cursor = state.pull_cursor
        page = client.pull(cursor, pull_limit)
        with db.session(immediate=True) as session:
            state = sync_state(session)
            assert state is not None
            if state.pull_cursor != cursor:  # another run advanced it meanwhile: fetch again
                continue
            for kind, n in apply_page(session, state, page).items():
                report.pulled[kind] = report.pulled.get(kind, 0) + n
        if not page.has_more:
            break
    if check:
        report.mismatches = compare_with_server(db, client.summary())
    with db.session(immediate=True) as session:
        state = sync_state(session)
        assert state is not None
        state.last_sync_at = utcnow()
        state.last_result = report.text()[:500]
    return report


def report_audit_head(db: Database, client: SyncClient, checkpoints: list[int]) -> str | None:
    """Send the recomputed audit chain head, keep the county's verdict; returns the warning to show, if any."""
    with db.session() as session:
        head = chain_report(session, checkpoints)
    answer = client.audit_head(head)
    with db.session(immediate=True) as session:
        remember_verdict(session, answer)
    return warning_text(answer.status.value, answer.message, answer.alerts_open)


def local_summary(session: Session) -> dict[str, tuple[int, str]]:
    """Per record type: count and digest of what the county should hold from this laptop.

    A record's expected content is the payload of its latest accepted change; deleted records and records whose
    latest answer is still pending, in flight, deferred or disputed are left out of the comparison.
    """
    latest: dict[tuple[str, str], OutboxEntry] = {}
    for row in session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)):
        latest[(row.record_type, row.record_id)] = row
    by_type: dict[str, list[tuple[str, str]]] = {}
    for (record_type, record_id), row in latest.items():
        if row.state != OutboxState.ACCEPTED or row.operation == "delete" or row.result_code in ("waiting_parent",):
            continue
        if row.result_code and row.result_code.startswith("resolved"):
            continue
        content = {k: v for k, v in row.payload.items() if not k.startswith("_")}
        import hashlib

        digest = hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()
        by_type.setdefault(record_type, []).append((record_id, digest))
    return {t: (len(items), record_digest(items)) for t, items in by_type.items()}


def compare_with_server(db: Database, server: SummaryResponse) -> list[str]:
    """Differences between the laptop's expectation and the county's records (shown, never acted on)."""
    with db.session() as session:
        local = local_summary(session)
        unsettled = session.scalar(
            select(OutboxEntry.seq).where(OutboxEntry.state.in_([OutboxState.PENDING, OutboxState.IN_FLIGHT])).limit(1)
        )
    if unsettled is not None:
        return []  # not comparable while changes are still on their way
    out = []
    for record_type, (count, digest) in sorted(local.items()):
        remote = server.types.get(record_type)
        if remote is None or remote.count != count or remote.digest != digest:
            out.append(f"{record_type}: 本机 {count} 条，县里 {remote.count if remote else 0} 条")
    return out


def now_utc() -> datetime:
    """Aware UTC now."""
    return datetime.now(UTC)
