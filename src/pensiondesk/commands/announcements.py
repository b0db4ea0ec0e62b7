"""``pensiondesk print announcement``: print a notice or leaflet filled from the policy pack (打印通知/宣传单).

::

    pensiondesk print announcement --kind collection|certification|letter|meeting
                                   [--layout poster|leaflet] [--year Y] [--date YYYY-MM-DD] --out FILE.pdf

The text comes from the county's template (``forms_templates/announcements/<kind>.toml``), the figures from
the policy pack and the village's settings, as in the GUI; the printed text is kept with the date (打印记录).
The path of the PDF is printed on stdout. ``--demo`` works on the demo database and creates it when missing.
The operator is ``$PENSIONDESK_USER`` (default ``coordinator``). Exit codes: 0 done; 2 bad input, a template
that cannot be used, or a database that cannot be opened (the message says why, in Chinese).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from pensiondesk.cli import EXIT_OK, CliError, Subparsers, add_command, default_db_path, demo_db_path, subgroup

__all__ = ["KINDS", "LAYOUTS", "cmd_print_announcement", "register"]

KINDS = {
    "collection": "缴费通知",
    "certification": "认证通知",
    "letter": "致城乡居民的一封信（政策问答）",
    "meeting": "会议通知",
}
LAYOUTS = {"poster": "A4 张贴通知（大字）", "leaflet": "A5 宣传单（一张 A4 印两份）"}


def _kind(text: str) -> str:
    value = text.strip().lower()
    if value not in KINDS:
        listed = "、".join(f"{key}（{label}）" for key, label in KINDS.items())
        raise argparse.ArgumentTypeError(f"通知种类“{text}”无效，可选：{listed}")
    return value


def _layout(text: str) -> str:
    value = text.strip().lower()
    if value not in LAYOUTS:
        listed = "、".join(f"{key}（{label}）" for key, label in LAYOUTS.items())
        raise argparse.ArgumentTypeError(f"版式“{text}”无效，可选：{listed}")
    return value


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"年度“{text}”无效，请写四位年份，例如 2027") from None
    if not 2000 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"年度 {year} 不合理，请写 2000 到 2100 之间的年份")
    return year


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效，请写成 2026-11-23") from None


def _database_path(args: argparse.Namespace) -> Path:
    if args.db:
        return Path(args.db).expanduser()
    return demo_db_path() if getattr(args, "demo", False) else default_db_path()


def cmd_print_announcement(args: argparse.Namespace) -> int:
    """Fill the template, write the PDF, keep the printed text; print the PDF's path."""
    if not args.kind:
        raise CliError(
            "请用 --kind 指定通知种类：collection（缴费通知）、certification（认证通知）、"
            "letter（致城乡居民的一封信）或 meeting（会议通知）"
        )
    if not args.out:
        raise CliError("请用 --out 指定要保存的 PDF 文件，例如 --out 缴费通知.pdf")
    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".pdf":
        raise CliError(f"输出文件“{out}”应以 .pdf 结尾")
    if not out.parent.is_dir():
        raise CliError(f"保存位置“{out.parent}”不存在，请先建立这个文件夹")
    path = _database_path(args)
    if not path.exists():
        if not getattr(args, "demo", False) or args.db:
            raise CliError(f"找不到数据库文件：{path}。请用 --db 指定本村的数据库文件，或用 --demo 使用演示数据库。")
        from pensiondesk.services.database import create_demo_database_with_logins

        print(f"正在生成演示数据库：{path}", file=sys.stderr)
        create_demo_database_with_logins(path, persons=getattr(args, "persons", 2000), seed=1)

    from pensiondesk.documents.announcements import render_bytes
    from pensiondesk.services.accounts import current_actor
    from pensiondesk.services.announcements import Layout, fill_announcement, save_printed
    from pensiondesk.services.database import open_for_work

    printed_on = args.date or date.today()
    actor = current_actor()
    database = open_for_work(path)
    written = False
    try:
        with database.session(immediate=True) as session:
            announcement = fill_announcement(
                session,
                args.kind,
                layout=Layout(args.layout) if args.layout else None,
                year=args.year,
                today=printed_on,
            )
            pdf = render_bytes(announcement, announcement.layout.value)
            save_printed(session, actor, announcement, printed_on)
            try:
                out.write_bytes(pdf)
            except OSError as error:
                raise CliError(f"无法写入文件“{out}”：{error.strerror or error}") from None
            written = True
    except BaseException:
        if written:  # the record was not kept, so the file must not look printed
            out.unlink(missing_ok=True)
        raise
    finally:
        database.close()
    print(f"已生成{KINDS[args.kind]}，版式：{LAYOUTS[announcement.layout.value]}，已记入打印记录", file=sys.stderr)
    print(out)
    return EXIT_OK


def register(sub: Subparsers) -> None:
    """Add ``print announcement`` (the ``print`` group is shared with the other printing commands)."""
    printing = subgroup(sub, "print", "打印")
    p = add_command(
        printing,
        "announcement",
        cmd_print_announcement,
        "打印通知或宣传单：缴费通知、认证通知、致城乡居民的一封信（政策问答）、会议通知",
    )
    p.add_argument("--kind", type=_kind, metavar="KIND", help="collection | certification | letter | meeting")
    p.add_argument(
        "--layout", type=_layout, metavar="LAYOUT", help="poster（A4 张贴）| leaflet（A5 宣传单）；默认按模板"
    )
    p.add_argument("--year", type=_year, metavar="Y", help="年度（默认：10 月起为下一年，否则为今年）")
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="落款和打印日期（默认今天）")
    p.add_argument("--out", metavar="FILE.pdf", help="保存的 PDF 文件")
