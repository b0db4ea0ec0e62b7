"""``pensiondesk sync …``: enrol this laptop with the county, sync now, show the sync status (同步命令)."""

from __future__ import annotations

import argparse

from pensiondesk.cli import EXIT_INVALID, EXIT_OK, CliError, Subparsers, _db_path, add_command, subgroup


def register(sub: Subparsers) -> None:
    """Add the ``sync`` subcommands."""
    group = subgroup(sub, "sync", "与县级服务器同步")
    p = add_command(group, "enroll", cmd_enroll, "用县社保局给的一次性登记码登记本机")
    p.add_argument("--server", required=True, help="县级服务器地址，例如 https://sync.example.gov.cn")
    p.add_argument("--code", required=True, help="一次性登记码")
    p.add_argument("--name", help="本机名称（默认：电脑名）")
    add_command(group, "run", cmd_run, "立即同步：上传待传记录，接收县里的审核结果等")
    add_command(group, "status", cmd_status, "显示同步状态：上次同步、待上传、需处理的记录")
    p = add_command(group, "export", cmd_export, "没有网络时：把待上传的数据写成签名文件，用U盘带到县社保局")
    p.add_argument("--out", required=True, help="输出文件")
    p = add_command(group, "import-ack", cmd_import_ack, "导入县社保局给的签名回执文件")
    p.add_argument("file")


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from pensiondesk.services.database import open_for_work

    path = _db_path(args)
    if not path.exists():
        raise CliError(f"找不到数据库文件：{path}")
    return open_for_work(path)


def cmd_enroll(args: argparse.Namespace) -> int:
    """Exchange the code for a device token; existing records are queued for the first upload."""
    from pensiondesk.sync.client import SyncError
    from pensiondesk.sync.engine import enroll
    from pensiondesk.sync.outbox import counts_by_state

    db = _open(args)
    try:
        try:
            state = enroll(db, args.server, args.code, args.name)
        except SyncError as exc:
            raise CliError(exc.message) from exc
        with db.session() as s:
            pending = counts_by_state(s).get("pending", 0)
        print(
            f"已登记到 {state.server_url}（设备编号 {state.device_id}）；"
            f"待上传 {pending} 条，运行 pensiondesk sync run 开始同步"
        )
    finally:
        db.close()
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    """One sync now."""
    from pensiondesk.sync.client import SyncError
    from pensiondesk.sync.engine import client_for, run_sync

    db = _open(args)
    try:
        try:
            client = client_for(db)
            report = run_sync(db, client)
        except SyncError as exc:
            raise CliError(exc.message) from exc
        print(report.text())
        for line in report.mismatches:
            print(f"  核对不一致：{line}")
        bad = report.results.get("rejected", 0) + report.results.get("conflict", 0)
    finally:
        db.close()
    return EXIT_INVALID if bad or report.mismatches or report.update == "required" else EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    """Last sync, counts by state, and every record that needs a person."""
    from pensiondesk.sync.audit_head import audit_warning
    from pensiondesk.sync.engine import CLOCK_WARNING_SECONDS, clock_warning, sync_state
    from pensiondesk.sync.outbox import counts_by_state, problems
    from pensiondesk.sync.update import update_notice

    labels = {
        "pending": "待上传",
        "in_flight": "已发送待确认",
        "accepted": "县里已接收",
        "rejected": "被拒收",
        "conflict": "有冲突",
    }
    db = _open(args)
    try:
        with db.session() as s:
            state = sync_state(s)
            if state is None or not state.device_token:
                print("本机尚未登记到县级服务器（pensiondesk sync enroll --server 地址 --code 登记码）")
            else:
                last = f"{state.last_sync_at:%Y-%m-%d %H:%M} (UTC)" if state.last_sync_at else "从未同步"
                print(f"服务器：{state.server_url}\n上次同步：{last}\n结果：{state.last_result or ''}")
                skew = state.clock_skew_seconds
                if skew is not None and abs(skew) > CLOCK_WARNING_SECONDS:
                    print(f"注意：{clock_warning(skew)}")
                notice = update_notice(s)
                if notice:
                    print(f"注意：{notice}")
                audit = audit_warning(s)
                if audit:
                    print(f"警告：{audit}")
            counts = counts_by_state(s)
            print("；".join(f"{labels[k]} {counts.get(k, 0)}" for k in labels))
            for row in problems(s):
                what = "冲突" if row.state.value == "conflict" else "拒收"
                print(f"  [{what}] {row.record_type} {row.record_id}：{row.result_message or ''}")
    finally:
        db.close()
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write the pending batch as a signed, sequence-numbered file."""
    from pathlib import Path

    from pensiondesk.sync.batchfile import BatchFileError, export_batch
    from pensiondesk.sync.client import SyncError

    db = _open(args)
    try:
        try:
            n = export_batch(db, Path(args.out))
        except (SyncError, BatchFileError) as exc:
            raise CliError(getattr(exc, "user_message", str(exc))) from exc
    finally:
        db.close()
    print(f"已写出 {n} 条记录到 {args.out}" if n else "没有待上传的记录，未生成文件")
    return EXIT_OK


def cmd_import_ack(args: argparse.Namespace) -> int:
    """Apply the county's signed acknowledgement."""
    from pathlib import Path

    from pensiondesk.sync.batchfile import BatchFileError, import_ack

    db = _open(args)
    try:
        try:
            counts = import_ack(db, Path(args.file))
        except BatchFileError as exc:
            raise CliError(exc.user_message) from exc
    finally:
        db.close()
    accepted, rejected, conflict = (counts.get(k, 0) for k in ("accepted", "rejected", "conflict"))
    print(f"回执已导入：县里已接收 {accepted} 条，拒收 {rejected} 条，冲突 {conflict} 条")
    return EXIT_INVALID if counts.get("rejected") or counts.get("conflict") else EXIT_OK
