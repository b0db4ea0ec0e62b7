"""County administration (县级管理): places, devices, county-owned data and the review of what villages submit.

Each function works in the caller's transaction and is what ``pensiondesk-county <command>`` runs. County-owned
data (answers, death notices, balances, receipt blocks, policy packs) is published to the villages through the
global change sequence in the same transaction as it is written, so a laptop either sees all of it or none.
"""

from __future__ import annotations

import csv
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pensiondesk.county.models import (
    AccountBalanceRow,
    CountyAnswer,
    DeathNotice,
    Device,
    EnrolmentCode,
    PolicyPackRow,
    ReceiptBlock,
    RecordRow,
    TownshipRow,
    VillageRow,
    utcnow,
)
from pensiondesk.county.store import (
    SyncRefused,
    meta,
    new_device_id,
    new_epoch_value,
    publish,
    publish_death_notice,
    security_event,
    token_hash,
)
from pensiondesk.sync.protocol import ChangeKind, ChangeOp, EnrolRequest, EnrolResponse
from pensiondesk.sync.signing import public_key

ENROLMENT_CODE_DAYS = 14
#: Review states after which a registration or pension case waits for the county's answer.
AWAITING_STATES = ("submitted", "township_checked", "village_checked")


class AdminError(Exception):
    """An administrator's request cannot be done; ``user_message`` says why in Chinese."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


# --- Places and devices ------------------------------------------------------------------------------------


def set_county(session: Session, code: str, name: str) -> None:
    """Name the county this server serves."""
    m = meta(session)
    m.county_code, m.county_name = code, name


def add_township(session: Session, code: str, name: str) -> TownshipRow:
    """Create (or rename) a township."""
    row = session.get(TownshipRow, code) or TownshipRow(code=code)
    row.name = name
    session.add(row)
    return row


def add_village(session: Session, code: str, name: str, township_code: str) -> VillageRow:
    """Create (or rename) a village in an existing township."""
    if session.get(TownshipRow, township_code) is None:
        raise AdminError(f"没有编码为 {township_code} 的乡镇，请先创建乡镇。")
    row = session.get(VillageRow, code) or VillageRow(code=code)
    row.name, row.township_code = name, township_code
    session.add(row)
    return row


def issue_enrolment_code(session: Session, village_code: str, *, days: int = ENROLMENT_CODE_DAYS) -> str:
    """A one-time enrolment code for one laptop of ``village_code`` (shown once, stored hashed)."""
    if session.get(VillageRow, village_code) is None:
        raise AdminError(f"没有编码为 {village_code} 的村。")
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
    code = "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))
    session.add(
        EnrolmentCode(code_hash=token_hash(code), village_code=village_code, expires_at=utcnow() + timedelta(days=days))
    )
    return code


def enrol_device(session: Session, req: EnrolRequest) -> EnrolResponse:
    """Turn a valid, unused, unexpired code into a device and its token (the token is returned only here)."""
    code_row = session.get(EnrolmentCode, token_hash(req.code.strip().upper()))
    if code_row is None or code_row.used_at is not None or code_row.expires_at < utcnow():
        security_event(session, None, "bad_enrolment_code", f"device {req.device_name!r}")
        raise SyncRefused(403, "bad_enrolment_code", "登记码无效、已使用或已过期。请向县社保局重新申请登记码。")
    village = session.get(VillageRow, code_row.village_code)
    if village is None:  # pragma: no cover - foreign key
        raise SyncRefused(403, "bad_enrolment_code", "登记码对应的村不存在。")
    township = session.get(TownshipRow, village.township_code)
    token = secrets.token_urlsafe(32)
    device = Device(
        id=new_device_id(),
        village_code=village.code,
        name=req.device_name,
        token_hash=token_hash(token),
        public_key=req.public_key,
        file_seq=0,
    )
    session.add(device)
    code_row.used_at = utcnow()
    code_row.device_id = device.id
    m = meta(session)
    return EnrolResponse(
        device_id=device.id,
        device_token=token,
        village_code=village.code,
        village_name=village.name,
        township_name=township.name if township else "",
        county_name=m.county_name,
        server_epoch=m.epoch,
        server_public_key=public_key(m.private_key),
    )


def revoke_device(session: Session, device_id: str) -> Device:
    """Revoke a device: its token stops working at once (403)."""
    device = session.get(Device, device_id)
    if device is None:
        raise AdminError(f"没有编号为 {device_id} 的设备。")
    device.revoked_at = device.revoked_at or utcnow()
    return device


def list_devices(session: Session) -> list[Device]:
    """All devices, newest first."""
    return list(session.scalars(select(Device).order_by(Device.enrolled_at.desc())))


def new_epoch(session: Session) -> str:
    """Start a new epoch: run this after restoring the database from a backup (property 12)."""
    m = meta(session)
    m.epoch = new_epoch_value()
    return m.epoch


# --- County-owned data -------------------------------------------------------------------------------------


def publish_policy_pack(session: Session, content: str) -> PolicyPackRow:
    """Publish a policy pack version to every village; a version is never replaced (property 9)."""
    try:
        data = json.loads(content)
        pack_id = str(data["pack_id"])
        version = int(data["version"])
        effective_from = date.fromisoformat(str(data["effective_from"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise AdminError(f"政策参数包格式不正确（需要 pack_id、version、effective_from）：{exc}") from exc
    if session.get(PolicyPackRow, (pack_id, version)) is not None:
        raise AdminError(f"政策参数包 {pack_id} 第 {version} 版已发布过；修改请发布新版本。")
    row = PolicyPackRow(pack_id=pack_id, version=version, effective_from=effective_from, content=content)
    session.add(row)
    publish(
        session,
        None,
        ChangeKind.POLICY_PACK,
        f"{pack_id}:{version}",
        ChangeOp.UPSERT,
        {"pack_id": pack_id, "version": version, "effective_from": effective_from.isoformat(), "content": content},
    )
    return row


def issue_receipt_block(
    session: Session, village_code: str, series: str, start_no: int, end_no: int, collector: str, issued_on: date
) -> ReceiptBlock:
    """Issue a block of receipt numbers to a village; blocks of one series never overlap."""
    if session.get(VillageRow, village_code) is None:
        raise AdminError(f"没有编码为 {village_code} 的村。")
    if end_no < start_no or start_no < 1:
        raise AdminError("号段不正确：起始号应不大于结束号且大于 0。")
    for other in session.scalars(select(ReceiptBlock).where(ReceiptBlock.series == series)):
        if other.revoked_at is None and not (end_no < other.start_no or start_no > other.end_no):
            raise AdminError(f"号段与已发放的 {series} {other.start_no}–{other.end_no} 重叠。")
    block = ReceiptBlock(
        id=str(uuid.uuid4()),
        village_code=village_code,
        series=series,
        start_no=start_no,
        end_no=end_no,
        collector=collector,
        issued_on=issued_on,
    )
    session.add(block)
    publish(session, village_code, ChangeKind.RECEIPT_BLOCK, block.id, ChangeOp.UPSERT, _block_data(block))
    return block


def revoke_receipt_block(session: Session, block_id: str) -> ReceiptBlock:
    """Revoke a block (sent down as a tombstone)."""
    block = session.get(ReceiptBlock, block_id)
    if block is None:
        raise AdminError(f"没有编号为 {block_id} 的号段。")
    block.revoked_at = utcnow()
    publish(session, block.village_code, ChangeKind.RECEIPT_BLOCK, block.id, ChangeOp.TOMBSTONE, {})
    return block


def _block_data(b: ReceiptBlock) -> dict[str, Any]:
    return {
        "block_id": b.id,
        "series": b.series,
        "start_no": b.start_no,
        "end_no": b.end_no,
        "collector": b.collector,
        "issued_on": b.issued_on.isoformat(),
    }


def set_account_balance(session: Session, person_id: str, as_of: date, balance_fen: int) -> None:
    """Record the county's balance of a person's account and send it to the person's village."""
    person = session.get(RecordRow, ("person", person_id))
    if person is None:
        raise AdminError(f"县里没有编号为 {person_id} 的人员。")
    row = session.get(AccountBalanceRow, person_id) or AccountBalanceRow(person_id=person_id)
    row.village_code, row.as_of, row.balance_fen = person.village_code, as_of, balance_fen
    session.add(row)
    publish(
        session,
        person.village_code,
        ChangeKind.ACCOUNT_BALANCE,
        person_id,
        ChangeOp.UPSERT,
        {"person_id": person_id, "as_of": as_of.isoformat(), "balance_fen": balance_fen},
    )


@dataclass(frozen=True)
class DeathImport:
    """What a death-list import did."""

    rows: int
    matched: int
    unmatched: int
    already_known: int


def import_death_list(session: Session, path: Path, *, source: str = "civil_affairs") -> DeathImport:
    """Import a 民政 death list (CSV or .xlsx with columns 姓名, 身份证号, 死亡日期) and notify the villages.

    A person the county does not hold yet is kept and matched when the person arrives from a laptop.
    """
    rows = _read_table(path)
    matched = unmatched = known = 0
    for line_no, row in enumerate(rows, start=2):
        id_number = str(row.get("身份证号") or row.get("公民身份号码") or "").strip().upper()
        name = str(row.get("姓名") or "").strip()
        raw_date = row.get("死亡日期")
        try:
            death_date = raw_date if isinstance(raw_date, date) else date.fromisoformat(str(raw_date).strip()[:10])
        except ValueError as exc:
            raise AdminError(f"第 {line_no} 行的死亡日期无法识别：{raw_date}") from exc
        if isinstance(death_date, datetime):
            death_date = death_date.date()
        if len(id_number) != 18:
            raise AdminError(f"第 {line_no} 行的身份证号不是 18 位：{id_number}")
        if session.scalar(select(DeathNotice).where(DeathNotice.id_number == id_number)) is not None:
            known += 1
            continue
        person = session.scalar(
            select(RecordRow).where(
                RecordRow.record_type == "person", RecordRow.id_number == id_number, RecordRow.deleted.is_(False)
            )
        )
        notice = DeathNotice(
            id=str(uuid.uuid4()),
            id_number=id_number,
            name=name,
            death_date=death_date,
            source=source,
            person_id=person.record_id if person else None,
            village_code=person.village_code if person else None,
        )
        session.add(notice)
        session.flush()
        if person is not None:
            matched += 1
            publish_death_notice(session, notice)
        else:
            unmatched += 1
    return DeathImport(rows=len(rows), matched=matched, unmatched=unmatched, already_known=known)


def _read_table(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise AdminError(f"找不到文件：{path}")
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        values = list(wb.active.iter_rows(values_only=True)) if wb.active is not None else []
        if not values:
            return []
        header = [str(h or "").strip() for h in values[0]]
        return [dict(zip(header, r, strict=False)) for r in values[1:] if any(c is not None for c in r)]
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [dict(r) for r in csv.DictReader(f)]


# --- Review of submitted registrations and pension cases --------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    """A registration or pension case waiting for the county's answer."""

    record_type: str
    record_id: str
    village_code: str
    person_name: str
    id_number: str
    review_state: str


def list_submitted(session: Session, village_code: str | None = None) -> list[Submitted]:
    """Registrations and pension cases sent up and not yet answered."""
    query = select(RecordRow).where(
        RecordRow.record_type.in_(("registration", "benefit_case")), RecordRow.deleted.is_(False)
    )
    if village_code:
        query = query.where(RecordRow.village_code == village_code)
    out = []
    for row in session.scalars(query.order_by(RecordRow.received_at)):
        if row.payload.get("review_state") not in AWAITING_STATES:
            continue
        if session.get(CountyAnswer, (row.record_type, row.record_id)) is not None:
            continue
        person = session.get(RecordRow, ("person", str(row.payload.get("person_id"))))
        out.append(
            Submitted(
                record_type=row.record_type,
                record_id=row.record_id,
                village_code=row.village_code,
                person_name=str(person.payload.get("name", "")) if person else "",
                id_number=str(person.payload.get("id_number", "")) if person else "",
                review_state=str(row.payload.get("review_state")),
            )
        )
    return out


def answer(
    session: Session,
    record_type: str,
    record_id: str,
    *,
    approved: bool,
    reason: str | None,
    by: str,
    monthly_fen: int | None = None,
    start_month: str | None = None,
) -> CountyAnswer:
    """Approve or return (with a reason) a submitted registration or pension case and tell its village."""
    if record_type not in ("registration", "benefit_case"):
        raise AdminError("只能审核参保登记（registration）或待遇资格（benefit_case）。")
    row = session.get(RecordRow, (record_type, record_id))
    if row is None or row.deleted:
        raise AdminError(f"县里没有编号为 {record_id} 的记录。")
    if not approved and not (reason and reason.strip()):
        raise AdminError("退回必须写明原因。")
    existing = session.get(CountyAnswer, (record_type, record_id))
    if existing is not None:
        raise AdminError("该记录已审核过。")
    now = utcnow()
    ans = CountyAnswer(
        record_type=record_type,
        record_id=record_id,
        approved=approved,
        reason=None if approved else reason,
        monthly_fen=monthly_fen,
        start_month=start_month,
        answered_by=by,
        answered_at=now,
    )
    session.add(ans)
    kind = ChangeKind.REGISTRATION_ANSWER if record_type == "registration" else ChangeKind.BENEFIT_ANSWER
    publish(
        session,
        row.village_code,
        kind,
        record_id,
        ChangeOp.UPSERT,
        {
            "record_id": record_id,
            "approved": approved,
            "reason": ans.reason,
            "answered_at": now.isoformat(),
            "monthly_fen": monthly_fen,
            "start_month": start_month,
        },
    )
    return ans


# --- Views and export --------------------------------------------------------------------------------------


def village_records(
    session: Session, village_code: str, record_type: str | None = None
) -> dict[tuple[str, str], dict[str, Any]]:
    """The county's live records of a village: (type, id) → content (operator fields removed)."""
    query = select(RecordRow).where(RecordRow.village_code == village_code, RecordRow.deleted.is_(False))
    if record_type:
        query = query.where(RecordRow.record_type == record_type)
    return {
        (r.record_type, r.record_id): {k: v for k, v in r.payload.items() if not k.startswith("_")}
        for r in session.scalars(query)
    }


ROSTER_HEADER = ("序号", "乡镇", "村", "姓名", "性别", "出生日期", "公民身份号码", "参保状态", "县级审核", "版本")


def export_roster(session: Session, out: Path) -> int:
    """Write the county roster (every live person of every village) to ``out`` (.xlsx); IDs as text."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "花名册"
    ws.append(list(ROSTER_HEADER))
    villages = {v.code: v for v in session.scalars(select(VillageRow))}
    townships = {t.code: t.name for t in session.scalars(select(TownshipRow))}
    answers = {
        a.record_id: a for a in session.scalars(select(CountyAnswer).where(CountyAnswer.record_type == "registration"))
    }
    reg_by_person: dict[str, str] = {}
    for r in session.scalars(
        select(RecordRow).where(RecordRow.record_type == "registration", RecordRow.deleted.is_(False))
    ):
        reg_by_person[str(r.payload.get("person_id"))] = r.record_id
    count = 0
    persons = session.scalars(
        select(RecordRow)
        .where(RecordRow.record_type == "person", RecordRow.deleted.is_(False))
        .order_by(RecordRow.village_code, RecordRow.id_number)
    )
    for p in persons:
        count += 1
        village = villages.get(p.village_code)
        ans = answers.get(reg_by_person.get(p.record_id, ""))
        review = "" if ans is None else ("通过" if ans.approved else f"退回：{ans.reason}")
        ws.append(
            [
                count,
                townships.get(village.township_code, "") if village else "",
                village.name if village else p.village_code,
                p.payload.get("name"),
                {"1": "男", "2": "女"}.get(str(p.payload.get("sex")), ""),
                p.payload.get("birth_date"),
                str(p.payload.get("id_number") or ""),
                p.payload.get("status"),
                review,
                p.version,
            ]
        )
        ws.cell(row=count + 1, column=7).number_format = "@"
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return count
