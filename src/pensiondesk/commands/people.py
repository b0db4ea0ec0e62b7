"""People subcommands (人员): ``pensiondesk import roster`` and ``pensiondesk export roster``.

``import roster FILE`` reads a county roster (花名册: .xlsx, .xls, .ods, .csv), checks every row and adds the good
ones in one transaction; when the roster has a 缴费档次 column it also enters the 参保登记 its rows ask for (录入,
for another person's 初审 on 审核), unless ``--no-register``; ``--dry-run`` checks only (and says how many would be
registered). Exit codes: 0 every row added or already there, 1 some rows rejected (listed, and written to the
report), 2 the file or the database cannot be used. A row whose person cannot be registered is not rejected: it
is imported, and the reason is printed and written to the report.

``export roster --out FILE.xlsx`` writes the registration roster (参保花名册), or with ``--list`` one of the
eligibility lists of a year.

The operator is ``$PENSIONDESK_USER`` (default ``coordinator``) until logins exist; the village is the database's
``village_id`` setting.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pensiondesk.cli import (
    EXIT_INVALID,
    EXIT_OK,
    CliError,
    Subparsers,
    add_command,
    data_dir,
    open_village_database,
    subgroup,
    village_id_of,
)

if TYPE_CHECKING:
    from pensiondesk.services.recording import Actor
    from pensiondesk.services.roster_import import ImportPlan

#: Rejected rows printed on the terminal; the rest are in the report.
SHOWN_REJECTIONS = 20

LIST_CHOICES = ("all", "contributors", "pension", "reaching60", "ineligible")


def _actor() -> Actor:
    from pensiondesk.services.accounts import current_actor

    return current_actor()  # the logged-in user (--user), else $PENSIONDESK_USER or coordinator


def _progress(label: str) -> Callable[[int, int], None] | None:
    """A one-line percentage on stderr when it is a terminal (nothing when output is captured)."""
    if not sys.stderr.isatty():
        return None
    shown = [-1]

    def report(done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        if percent != shown[0]:
            shown[0] = percent
            end = "\n" if percent >= 100 else ""
            print(f"\r{label}：{percent}%", end=end, file=sys.stderr, flush=True)

    return report


def _default_report_path(source: Path) -> Path:
    """``<file>-导入结果.xlsx`` next to the imported file, or in the data directory if that folder is read-only."""
    beside = source.with_name(f"{source.stem}-导入结果.xlsx")
    if os.access(beside.parent, os.W_OK):
        return beside
    return data_dir() / "reports" / beside.name


def _print_plan(plan: ImportPlan) -> None:
    print(f"文件：{plan.path.name}（{plan.header_place}）")
    for note in plan.notes:
        print(note)
    if plan.skipped_rows:
        shown = "、".join(str(n) for n in plan.skipped_rows[:10])
        more = f" 等 {len(plan.skipped_rows)} 行" if len(plan.skipped_rows) > 10 else ""
        print(f"第{shown}行{more}没有姓名和身份证号，已跳过")


def cmd_import_roster(args: argparse.Namespace) -> int:
    """Import a roster file: check every row, add the good ones, report the rest."""
    from pensiondesk.services.people_types import ServiceError
    from pensiondesk.services.roster_import import RowStatus, execute_import, plan_import, write_report

    source = Path(args.file).expanduser()
    registering = not args.no_register
    db = open_village_database(args)
    try:
        village_id = village_id_of(db)
        if args.dry_run:
            with db.session() as session:
                plan = plan_import(
                    session, source, village_id=village_id, sheet=args.sheet, progress=_progress("正在检查")
                )
        else:
            # Check and write in one transaction that holds the write lock: nothing can change in between.
            with db.session(immediate=True) as session:
                plan = plan_import(
                    session, source, village_id=village_id, sheet=args.sheet, progress=_progress("正在检查")
                )
                if plan.to_add or (registering and plan.to_register):
                    try:
                        execute_import(
                            session, _actor(), plan, enter_registrations=registering, progress=_progress("正在写入")
                        )
                    except ServiceError as error:  # refused as a whole (e.g. a 复核员): rolled back, nothing written
                        raise CliError(f"{error.user_message}。没有导入任何人。", EXIT_INVALID) from error
    finally:
        db.close()

    _print_plan(plan)
    counts = plan.counts
    report: Path | None = Path(args.report).expanduser() if args.report else None
    if report is None and (counts[RowStatus.REJECTED] or plan.warning_rows):
        report = _default_report_path(source)
    if report is not None:
        try:
            write_report(plan, report, planned=args.dry_run)
        except OSError as exc:
            raise CliError(f"无法写入报告文件 {report}：{exc.strerror or exc}。请用 --report 指定其他位置。") from exc

    added, unchanged, rejected = counts[RowStatus.ADD], counts[RowStatus.UNCHANGED], counts[RowStatus.REJECTED]
    if args.dry_run:
        summary = f"试运行（未写入数据库）：可新增 {added} 人，未变 {unchanged} 人，拒绝 {rejected} 行"
    else:
        summary = f"新增 {added} 人，未变 {unchanged} 人，拒绝 {rejected} 行"
    if report is not None:
        summary += f"；报告：{report}"
    print(summary)
    if plan.asks_registration:
        _print_registrations(plan, registering=registering, dry_run=args.dry_run)
    if plan.warning_rows:
        print(f"另有 {plan.warning_rows} 行有提示（不影响导入），详见报告")
    rejected_rows = plan.rejected
    for row in rejected_rows[:SHOWN_REJECTIONS]:
        print(f"第{row.row_number}行：{row.describe()}")
    if len(rejected_rows) > SHOWN_REJECTIONS:
        print(f"……另有 {len(rejected_rows) - SHOWN_REJECTIONS} 行被拒绝，详见报告：{report}")
    return EXIT_INVALID if rejected else EXIT_OK


def _print_registrations(plan: ImportPlan, *, registering: bool, dry_run: bool) -> None:
    """How many 参保登记 were (or would be) entered from the 缴费档次 column, and why the others cannot be."""
    if not registering:
        print("未录入参保登记（--no-register）：需要时可不加 --no-register 再导入一次，已在库中的人不会重复")
        return
    entered, refused = len(plan.to_register), plan.registration_refused
    already = sum(1 for row in plan.rows if row.registration is not None and row.registration.already)
    if dry_run:
        text = f"可录入参保登记 {entered} 人" if entered else "没有可录入的参保登记"
    elif entered:
        text = f"录入参保登记 {entered} 人（已录入，请由另一位工作人员在“审核”中初审）"
    else:
        text = "没有新录入的参保登记"
    if already:
        text += f"；{already} 人已有相同档次的参保登记，未重复录入"
    if refused:
        text += f"；{len(refused)} 人不能录入，原因如下（不影响人员导入）"
    print(text)
    for row in refused[:SHOWN_REJECTIONS]:
        note = next(p.message for p in row.warnings if p.code == "registration")
        print(f"第{row.row_number}行：{note}")
    if len(refused) > SHOWN_REJECTIONS:
        print(f"……另有 {len(refused) - SHOWN_REJECTIONS} 人不能录入参保登记，详见报告")


def cmd_export_roster(args: argparse.Namespace) -> int:
    """Export the registration roster or an eligibility list as .xlsx."""
    from pensiondesk.services.roster_export import export_list

    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".xlsx":
        raise CliError(f"导出文件应以 .xlsx 结尾：{out}")
    db = open_village_database(args)
    try:
        village_id = village_id_of(db)
        with db.session() as session:
            report = _progress_count("正在导出")
            result = export_list(
                session, out, village_id=village_id, list_kind=args.list, year=args.year, progress=report
            )
    except OSError as exc:
        raise CliError(
            f"无法写入文件 {out}：{exc.strerror or exc}。请检查文件是否在 Excel 中打开着，或换一个位置。"
        ) from exc
    finally:
        db.close()
    print(f"已导出“{result.title}”，共 {result.count} 人：{result.path}")
    return EXIT_OK


def _progress_count(label: str) -> Callable[[int], None] | None:
    if not sys.stderr.isatty():
        return None

    def report(done: int) -> None:
        print(f"\r{label}：{done} 人", end="", file=sys.stderr, flush=True)

    return report


def _year(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"年份应为四位数字：{text}") from None
    if not 2009 <= value <= 2100:
        raise argparse.ArgumentTypeError(f"年份应在 2009 到 2100 之间：{text}")
    return value


def register(subparsers: Subparsers) -> None:
    """Add ``import roster`` and ``export roster``."""
    imports = subgroup(subparsers, "import", "导入数据")
    p = add_command(
        imports, "roster", cmd_import_roster, "导入花名册（.xlsx、.xls、.ods、.csv）：逐行检查，合格的一次性新增"
    )
    p.add_argument("file", metavar="FILE", help="花名册文件")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库（会说明可录入多少份参保登记）")
    p.add_argument(
        "--no-register",
        action="store_true",
        help="不按表中的“缴费档次”录入参保登记（默认：有该列时为表中有档次、可以登记的人录入参保登记，待初审）",
    )
    p.add_argument("--report", metavar="OUT.xlsx", help="导入结果报告的位置（默认：有问题时写在花名册旁边）")
    p.add_argument("--sheet", metavar="NAME", help="使用的工作表（默认：第一张有花名册表头的工作表）")

    exports = subgroup(subparsers, "export", "导出数据")
    p = add_command(exports, "roster", cmd_export_roster, "导出参保花名册或资格名单（.xlsx）")
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help="导出的文件")
    p.add_argument(
        "--list",
        choices=LIST_CHOICES,
        default="all",
        help="all 全部人员花名册（默认）；contributors 应参保缴费人员；pension 达到领取年龄人员；"
        "reaching60 即将年满60周岁人员；ineligible 不符合参保条件人员",
    )
    p.add_argument("--year", type=_year, help="年度（默认：今年）")
