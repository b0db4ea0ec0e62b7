"""People subcommands (人员): ``import roster``, ``export roster`` and ``person relation``.

``import roster FILE`` reads a county roster (花名册: .xlsx, .xls, .ods, .csv), checks every row and adds the good
ones in one transaction; when the roster has a 缴费档次 column it also enters the 参保登记 its rows ask for (录入,
for another person's 初审 on 审核), unless ``--no-register``; ``--dry-run`` checks only (and says how many would be
registered). Exit codes: 0 every row added or already there, 1 some rows rejected (listed, and written to the
report), 2 the file or the database cannot be used. A row whose person cannot be registered is not rejected: it
is imported, and the reason is printed and written to the report.

``export roster --out FILE.xlsx`` writes the registration roster (参保花名册), or with ``--list`` one of the
eligibility lists of a year.

``person relation ID_NUMBER RELATION`` changes a member's 与户主关系 (改关系 in the household window), or confirms it
when RELATION is the one already recorded; either way a 待核对 mark left by a change of head goes. ``person relation
--pending`` lists everyone whose relation is still 待核对. Exit codes: 0 done; 1 refused (the reason is printed,
nothing written: a 复核员, the head himself, an unknown ID …); 2 the command line or the database cannot be used.

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
    from pensiondesk.domain.codes import Relation
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


def _relation(text: str) -> Relation:
    """与户主关系 as typed: its Chinese name (配偶, 子, 女, 父母, 岳父母 …) or its code (spouse …); 户主 is refused
    by the service with the way to change the head."""
    from pensiondesk.domain.codes import Relation

    typed = "".join(text.split())
    for relation in Relation:
        if typed in (relation.value, relation.label, *relation.label.split("/")):
            return relation
    names = "、".join(r.label for r in Relation if r is not Relation.HEAD)
    raise CliError(f"不认识的与户主关系“{text}”；可写：{names}")


def cmd_person_relation(args: argparse.Namespace) -> int:
    """Change or confirm one member's relation to the household head, or list the relations still to check."""
    from pensiondesk.services import accounts, people
    from pensiondesk.services.pensioner_common import find_person_by_id_number
    from pensiondesk.services.people_types import ServiceError
    from pensiondesk.services.person_queries import household_of

    if args.pending:
        if args.number or args.relation:
            raise CliError("--pending 只列出待核对的人，不能同时写身份证号或关系。")
        return _print_relations_to_check(args)
    if not args.number or not args.relation:
        raise CliError(
            "请写身份证号和与户主的关系，例如：pensiondesk person relation 11010519491231002X 父母；"
            "或用 --pending 列出与户主关系待核对的人。"
        )
    relation = _relation(args.relation)
    actor = accounts.current_actor()
    db = open_village_database(args)
    try:
        with db.session(immediate=True) as session:
            person = find_person_by_id_number(session, args.number)
            view = household_of(session, person.id)
            member = next((m for m in view.members if m.person_id == person.id), None) if view else None
            was, pending = person.relation, member is not None and member.to_check
            head = (view.head_name if view is not None else None) or "（未指定）"
            people.set_relation(session, actor, person.id, relation)
            name = person.name
    except ServiceError as error:
        print(f"错误：{error.user_message}", file=sys.stderr)
        return EXIT_INVALID
    finally:
        db.close()
    if was != relation:
        old = was.label if was is not None else "未填"
        checked = "（户主变更后的待核对已完成）" if pending else ""
        print(f"已把{name}与户主{head}的关系由“{old}”改为“{relation.label}”{checked}。")
    elif pending:
        print(f"已核对：{name}与户主{head}的关系是“{relation.label}”，不再标为待核对。")
    else:
        print(f"{name}与户主{head}的关系已经是“{relation.label}”，没有改动。")
    return EXIT_OK


def _print_relations_to_check(args: argparse.Namespace) -> int:
    from pensiondesk.services.person_queries import current_village_id, relations_to_check

    db = open_village_database(args)
    try:
        with db.session() as session:
            items = relations_to_check(session, current_village_id(session))
    finally:
        db.close()
    if not items:
        print("没有与户主关系待核对的人员。")
        return EXIT_OK
    for number, item in enumerate(items, start=1):
        group = f"，{item.group_name}" if item.group_name else ""
        recorded = item.relation.label if item.relation is not None else "未填"
        old_head = f"（对原户主{item.old_head_name}）" if item.old_head_name else ""
        suggested = f"，建议“{item.suggested.label}”" if item.suggested is not None else ""
        print(
            f"{number}. {item.name}（{item.id_number}{group}）：户主{item.head_name or '（未指定）'}，"
            f"现登记“{recorded}”{old_head}{suggested}；{item.since.isoformat()} 户主变更后待核对"
        )
    print(
        f"共 {len(items)} 人与户主关系待核对。请对照户口簿，用 pensiondesk person relation 身份证号 关系 确认或修改"
        "（写现登记的关系即为确认），或在程序的“家庭”（Ctrl+H）里点“改关系”。"
    )
    return EXIT_OK


def register(subparsers: Subparsers) -> None:
    """Add ``import roster``, ``export roster`` and ``person relation``."""
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

    persons = subgroup(subparsers, "person", "人员")
    p = add_command(
        persons,
        "relation",
        cmd_person_relation,
        "改与户主关系（写现有的关系即为核对确认）；--pending 列出户主变更后与户主关系待核对的人",
    )
    p.add_argument("number", nargs="?", metavar="ID_NUMBER", help="人员的身份证号")
    p.add_argument(
        "relation",
        nargs="?",
        metavar="RELATION",
        help="与户主的关系：配偶、子、女、父母、公婆、岳父母、女婿、儿媳、孙子女、祖父母、兄弟姐妹、其他",
    )
    p.add_argument("--pending", action="store_true", help="列出户主变更后与户主关系还没有核对的人")
