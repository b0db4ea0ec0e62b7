"""``pensiondesk-county``: the county server (县级服务端) and its admin commands.

``serve`` runs the sync API (uvicorn); every other command works directly on the county database given by
``--db`` (a SQLAlchemy URL such as ``postgresql+psycopg://user@host/db``, or a path to a SQLite file; default
``county.sqlite`` in the current folder, or ``$PENSIONDESK_COUNTY_DB``). The database is created or upgraded to
the newest schema on first use. Messages are Chinese, errors one line on stderr with a non-zero exit code.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pensiondesk import __version__

EXIT_OK = 0
EXIT_FOUND = 1  # audit-alerts: there are open alerts
EXIT_USAGE = 2
EXIT_INTERNAL = 70


class CountyCliError(Exception):
    """A plain-Chinese reason the command cannot run."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.user_message = message


def database_url(value: str | None) -> str:
    """``--db`` as a SQLAlchemy URL: URLs pass through, anything else is a SQLite file path."""
    from pensiondesk.county.store import DEFAULT_SQLITE_NAME, sqlite_url

    value = value or os.environ.get("PENSIONDESK_COUNTY_DB") or DEFAULT_SQLITE_NAME
    return value if "://" in value else sqlite_url(value)


def _session(args: argparse.Namespace) -> Any:
    from sqlalchemy.orm import sessionmaker

    from pensiondesk.county.store import create_county_engine, session_scope, upgrade_database

    engine = create_county_engine(database_url(args.db))
    upgrade_database(engine)
    return session_scope(sessionmaker(bind=engine, expire_on_commit=False))


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the sync API."""
    import uvicorn

    from pensiondesk.county.app import create_app

    url = database_url(args.db)
    min_version = _app_version(args.min_app_version, "PENSIONDESK_MIN_APP_VERSION")
    latest_version = _app_version(args.latest_app_version, "PENSIONDESK_LATEST_APP_VERSION")
    app = create_app(url, min_app_version=min_version, latest_app_version=latest_version)
    ssl: dict[str, Any] = {}
    if args.ssl_certfile:
        ssl = {"ssl_certfile": args.ssl_certfile, "ssl_keyfile": args.ssl_keyfile}
    print(f"县级同步服务：http{'s' if ssl else ''}://{args.host}:{args.port}/  数据库：{_safe(url)}", flush=True)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        timeout_keep_alive=30,
        **ssl,
    )
    return EXIT_OK


def _app_version(value: str | None, env: str) -> str | None:
    """A program version for the handshake, from the option or else the environment; checked for its form."""
    from pensiondesk.sync.update import parse_version

    value = (value or os.environ.get(env) or "").strip() or None
    if value is not None and parse_version(value) is None:
        raise CountyCliError(f"版本号 {value} 的格式不对（应类似 0.2.0）")
    return value


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def cmd_init(args: argparse.Namespace) -> int:
    from pensiondesk.county import admin

    with _session(args) as s:
        if args.county_code:
            admin.set_county(s, args.county_code, args.county_name or args.county_code)
    print("县级数据库已就绪。")
    return EXIT_OK


def cmd_add_township(args: argparse.Namespace) -> int:
    from pensiondesk.county import admin

    with _session(args) as s:
        admin.add_township(s, args.code, args.name)
    print(f"已保存乡镇 {args.code} {args.name}")
    return EXIT_OK


def cmd_add_village(args: argparse.Namespace) -> int:
    from pensiondesk.county import admin

    with _session(args) as s:
        admin.add_village(s, args.code, args.name, args.township)
    print(f"已保存村 {args.code} {args.name}")
    return EXIT_OK


def cmd_enrol_code(args: argparse.Namespace) -> int:
    from pensiondesk.county import admin

    with _session(args) as s:
        code = admin.issue_enrolment_code(s, args.village, days=args.days)
    print(code)
    print(
        f"（一次性登记码，{args.days} 天内有效；在村里的电脑上运行 pensiondesk sync enroll --code {code}）",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_devices(args: argparse.Namespace) -> int:
    from pensiondesk.county import admin
    from pensiondesk.county.audit import open_alerts

    with _session(args) as s:
        for d in admin.list_devices(s):
            state = f"已撤销 {d.revoked_at:%Y-%m-%d}" if d.revoked_at else "有效"
            seen = f"{d.last_seen_at:%Y-%m-%d %H:%M}" if d.last_seen_at else "从未同步"
            alerts = open_alerts(s, d.id)
            flag = f"\t审计提醒 {alerts} 条未处理（pensiondesk-county audit-alerts）" if alerts else ""
            print(f"{d.id}\t{d.village_code}\t{d.name}\t{state}\t最近同步 {seen}{flag}")
    return EXIT_OK


def cmd_audit_alerts(args: argparse.Namespace) -> int:
    """List audit alerts (open ones unless --all), or close one with --resolve."""
    from pensiondesk.county.audit import KIND_LABELS, list_alerts, resolve_alert

    with _session(args) as s:
        if args.resolve is not None:
            alert = resolve_alert(s, args.resolve, args.by, args.note or "")
            print(f"已关闭审计提醒 {alert.id}（设备 {alert.device_id}）；该电脑下次同步后不再显示警告")
            return EXIT_OK
        rows = list_alerts(s, include_resolved=args.all, village_code=args.village)
        if not rows:
            print("没有未处理的审计提醒" if not args.all else "没有审计提醒")
            return EXIT_OK
        for a in rows:
            state = f"已处理（{a.resolved_by}：{a.resolution or ''}）" if a.resolved_at else "未处理"
            via = "U盘文件" if a.via_file else "网络同步"
            print(
                f"{a.id}\t{a.at:%Y-%m-%d %H:%M}\t{a.village_code}\t设备 {a.device_id}\t"
                f"{KIND_LABELS.get(a.kind, a.kind)}\t{via}\t{state}\t{a.detail}"
            )
        return EXIT_FOUND if any(a.resolved_at is None for a in rows) else EXIT_OK


def cmd_revoke(args: argparse.Namespace) -> int:
    from pensiondesk.county import admin

    with _session(args) as s:
        admin.revoke_device(s, args.device_id)
    print(f"已撤销设备 {args.device_id}")
    return EXIT_OK


def cmd_new_epoch(args: argparse.Namespace) -> int:
    from pensiondesk.county import admin

    with _session(args) as s:
        epoch = admin.new_epoch(s)
    print(f"已开始新的数据版本 {epoch}：各村电脑下次同步时会重新上传未确认的记录。")
    return EXIT_OK


def cmd_publish_policy(args: argparse.Namespace) -> int:
    from pensiondesk.county import admin

    content = Path(args.file).read_text(encoding="utf-8")
    with _session(args) as s:
        row = admin.publish_policy_pack(s, content)
    print(f"已发布政策参数包 {row.pack_id} 第 {row.version} 版（{row.effective_from} 起执行）")
    return EXIT_OK


def cmd_issue_receipts(args: argparse.Namespace) -> int:
    from pensiondesk.county import admin

    with _session(args) as s:
        block = admin.issue_receipt_block(
            s, args.village, args.series, args.start, args.end, args.collector, date.fromisoformat(args.issued_on)
        )
    print(f"已向 {args.village} 发放票据 {block.series} {block.start_no}–{block.end_no}（编号 {block.id}）")
    return EXIT_OK


def cmd_import_deaths(args: argparse.Namespace) -> int:
    from pensiondesk.county import admin

    with _session(args) as s:
        result = admin.import_death_list(s, Path(args.file))
    print(
        f"死亡名单 {result.rows} 行：已匹配并通知所在村 {result.matched} 人；"
        f"县里暂无此人（到达后自动匹配）{result.unmatched} 人；此前已导入 {result.already_known} 人"
    )
    return EXIT_OK


def cmd_submitted(args: argparse.Namespace) -> int:
    from pensiondesk.county import admin

    with _session(args) as s:
        items = admin.list_submitted(s, args.village)
    kinds = {"registration": "参保登记", "benefit_case": "待遇资格"}
    for item in items:
        print(f"{kinds[item.record_type]}\t{item.record_id}\t{item.village_code}\t{item.person_name}\t{item.id_number}")
    print(f"共 {len(items)} 件待审核", file=sys.stderr)
    return EXIT_OK


def cmd_approve(args: argparse.Namespace) -> int:
    from pensiondesk.county import admin

    with _session(args) as s:
        admin.answer(
            s,
            args.type,
            args.record_id,
            approved=True,
            reason=None,
            by=args.by,
            monthly_fen=args.monthly_fen,
            start_month=args.start_month,
        )
    print("已审核通过，结果将在该村下次同步时送达。")
    return EXIT_OK


def cmd_return(args: argparse.Namespace) -> int:
    from pensiondesk.county import admin

    with _session(args) as s:
        admin.answer(s, args.type, args.record_id, approved=False, reason=args.reason, by=args.by)
    print("已退回，原因将在该村下次同步时送达。")
    return EXIT_OK


def cmd_set_balance(args: argparse.Namespace) -> int:
    from pensiondesk.county import admin

    with _session(args) as s:
        admin.set_account_balance(s, args.person_id, date.fromisoformat(args.as_of), args.balance_fen)
    print("已保存个人账户余额。")
    return EXIT_OK


def cmd_export_roster(args: argparse.Namespace) -> int:
    from pensiondesk.county import admin

    with _session(args) as s:
        n = admin.export_roster(s, Path(args.out))
    print(f"已导出 {n} 人到 {args.out}")
    return EXIT_OK


def cmd_import_batch(args: argparse.Namespace) -> int:
    from pensiondesk.county.files import finish_ack, import_batch_file

    with _session(args) as s:
        summary = import_batch_file(s, Path(args.file), Path(args.ack))
    finish_ack(Path(args.ack))
    print(summary)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pensiondesk-county",
        description="城乡居保县级服务端：接收各村电脑上传的数据、下发审核结果与政策参数。",
    )
    parser.add_argument("--version", action="version", version=f"PensionDesk county {__version__}")
    parser.add_argument("--db", metavar="URL", help="数据库：SQLAlchemy URL 或 SQLite 文件路径（默认 county.sqlite）")
    sub = parser.add_subparsers(title="子命令", metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="同上")
        p.set_defaults(func=func)
        return p

    p = add("serve", cmd_serve, "运行同步服务")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--ssl-certfile", help="TLS 证书（也可放在反向代理之后，见 docs/sync-protocol.md）")
    p.add_argument("--ssl-keyfile")
    p.add_argument("--forwarded-allow-ips", default="127.0.0.1", help="信任其 X-Forwarded-* 头的反向代理地址")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    p.add_argument(
        "--min-app-version",
        metavar="X",
        help="村里电脑程序的最低版本：低于它的电脑不再同步，提示先升级（也可用 $PENSIONDESK_MIN_APP_VERSION）",
    )
    p.add_argument(
        "--latest-app-version",
        metavar="Y",
        help="最新版本：低于它的电脑照常同步并提示有新版本（也可用 $PENSIONDESK_LATEST_APP_VERSION）",
    )
    p = add("init", cmd_init, "创建或升级县级数据库")
    p.add_argument("--county-code")
    p.add_argument("--county-name")
    p = add("add-township", cmd_add_township, "新建乡镇")
    p.add_argument("code")
    p.add_argument("name")
    p = add("add-village", cmd_add_village, "新建村")
    p.add_argument("code")
    p.add_argument("name")
    p.add_argument("--township", required=True, help="所属乡镇编码")
    p = add("enrol-code", cmd_enrol_code, "为某村的一台电脑生成一次性登记码")
    p.add_argument("village", help="村编码")
    p.add_argument("--days", type=int, default=14)
    add("devices", cmd_devices, "列出已登记的设备")
    p = add(
        "audit-alerts",
        cmd_audit_alerts,
        "审计日志异常提醒：村里电脑的操作日志被改动、删除或回退（有未处理的提醒时退出码为 1）",
    )
    p.add_argument("--all", action="store_true", help="也列出已处理的")
    p.add_argument("--village", help="只看某村")
    p.add_argument("--resolve", type=int, metavar="ID", help="核实后关闭编号为 ID 的提醒")
    p.add_argument("--by", default="county", help="处理人")
    p.add_argument("--note", help="处理说明")
    p = add("revoke-device", cmd_revoke, "撤销一台设备的同步授权")
    p.add_argument("device_id")
    add("new-epoch", cmd_new_epoch, "从备份恢复数据库后运行：开始新的数据版本")
    p = add("publish-policy", cmd_publish_policy, "发布政策参数包（JSON 文件）")
    p.add_argument("file")
    p = add("issue-receipts", cmd_issue_receipts, "向某村发放票据号段")
    p.add_argument("village")
    p.add_argument("--series", required=True)
    p.add_argument("--start", type=int, required=True)
    p.add_argument("--end", type=int, required=True)
    p.add_argument("--collector", required=True)
    p.add_argument("--issued-on", default=date.today().isoformat())
    p = add("import-deaths", cmd_import_deaths, "导入民政死亡名单（CSV 或 xlsx：姓名、身份证号、死亡日期）")
    p.add_argument("file")
    p = add("submitted", cmd_submitted, "列出待审核的参保登记和待遇资格")
    p.add_argument("--village")
    for name, func, text in (("approve", cmd_approve, "审核通过"), ("return", cmd_return, "退回（须写原因）")):
        p = add(name, func, text)
        p.add_argument("type", choices=["registration", "benefit_case"])
        p.add_argument("record_id")
        p.add_argument("--by", default="county")
        if name == "approve":
            p.add_argument("--monthly-fen", type=int)
            p.add_argument("--start-month")
        else:
            p.add_argument("--reason", required=True)
    p = add("set-balance", cmd_set_balance, "保存某人的个人账户余额")
    p.add_argument("person_id")
    p.add_argument("--as-of", required=True)
    p.add_argument("--balance-fen", type=int, required=True)
    p = add("export-roster", cmd_export_roster, "导出全县花名册（xlsx）")
    p.add_argument("--out", required=True)
    p = add("import-batch", cmd_import_batch, "导入村里用U盘带来的同步文件并生成签名回执")
    p.add_argument("file")
    p.add_argument("--ack", required=True, help="回执文件（带回村里用 pensiondesk sync import-ack 导入）")
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    """Parse and run; errors are one Chinese line, never a traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_OK
    try:
        return int(func(args))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        message = getattr(exc, "user_message", None) or getattr(exc, "message", None)
        if isinstance(message, str):
            print(f"错误：{message}", file=sys.stderr)
            return EXIT_USAGE
        if isinstance(exc, OSError):
            print(f"错误：无法读写文件：{exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"内部错误：{type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
