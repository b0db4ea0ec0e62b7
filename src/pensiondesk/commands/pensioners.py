"""Pensioner and notice subcommands (待遇、认证、注销、公示、报表).

* ``print notice --kind benefit|survival|enrolment|death|collective [--group G] --out FILE.pdf`` builds a public
  notice (公示) from today's data, keeps its list as a snapshot, and prints it; ``--notice ID`` reprints a kept one
  (the same list). ``print notification`` prints the 待遇领取通知表 of the residents reaching 60, ``print
  death-form`` the 注销登记暨丧葬补助金申请表 of a reported death.
* ``survival record --id ID --method M --date D`` records a survival certification (上门, 实地, 异地, 人脸, 数据比对).
* ``death report --id ID --date D`` records a death with its settlement; ``import deaths FILE`` matches a 民政
  monthly death list by ID number and name, reports the matches and lists the rest.
* ``report progress --out FILE.xlsx|.pdf`` writes the progress figures (四率) with their lists.

Exit codes: 0 done; 1 done but some rows need a person's decision (an import with ambiguous or unmatched rows);
2 the input or the database cannot be used. The operator is ``$PENSIONDESK_USER`` (default ``coordinator``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pensiondesk.cli import (
    EXIT_INVALID,
    EXIT_OK,
    CliError,
    Subparsers,
    add_command,
    date_argument,
    open_village_database,
    subgroup,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from pensiondesk.services.recording import Actor

KINDS = ("benefit", "survival", "enrolment", "death", "collective")
METHOD_HELP = "认证方式：上门、实地、异地、人脸、数据比对（也可写 home_visit、on_site、elsewhere、face_self …）"


def _actor() -> Actor:
    from pensiondesk.services.accounts import current_actor

    return current_actor()  # the logged-in user (--user), else $PENSIONDESK_USER or coordinator


def _fen(text: str) -> int:
    from pensiondesk.domain.money import InvalidAmount, parse_yuan

    try:
        return parse_yuan(text)
    except InvalidAmount as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _out(path_text: str, suffixes: tuple[str, ...]) -> Path:
    out = Path(path_text).expanduser()
    if out.suffix.lower() not in suffixes:
        raise CliError(f"输出文件应以 {' 或 '.join(suffixes)} 结尾：{out}")
    if not out.parent.exists():
        raise CliError(f"输出文件夹不存在：{out.parent}")
    return out


def _write_pdf(out: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary name so a failure never leaves half a PDF under ``out``."""
    partial = out.with_name(out.name + ".part")
    try:
        write(partial)
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise CliError(f"无法写入文件 {out}：{exc.strerror or exc}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _group_ids(session: Session, wanted: list[str] | None) -> list[str]:
    from pensiondesk.services.pensioner_common import group_names

    if not wanted:
        return []
    names = group_names(session)
    chosen: list[str] = []
    for text in wanted:
        key = text.strip()
        matches = [gid for gid, name in names.items() if key in (gid, name)] or [
            gid for gid, name in names.items() if key and key in name
        ]
        if len(matches) != 1:
            known = "、".join(names.values()) or "（无）"
            reason = "找不到" if not matches else "对应多个"
            raise CliError(f"村民小组“{key}”{reason}：本村的村民小组有 {known}")
        chosen.append(matches[0])
    return chosen


# --- print ---------------------------------------------------------------------------------------------------------


def cmd_print_notice(args: argparse.Namespace) -> int:
    """Build (or reprint) a public notice and print it to a PDF."""
    from pensiondesk.documents.notice import render_notice
    from pensiondesk.domain.codes import NoticeKind
    from pensiondesk.services.notices import build_notice, parse_period
    from pensiondesk.store.models import PublicNotice

    out = _out(args.out, (".pdf",))
    db = open_village_database(args)
    try:
        if args.notice:
            with db.session() as session:
                notice = session.get(PublicNotice, args.notice)
                if notice is None:
                    raise CliError(f"找不到编号为 {args.notice} 的公示")
                content = dict(notice.snapshot)
        else:
            if not args.kind:
                raise CliError("请用 --kind 指定公示种类：" + "、".join(KINDS))
            with db.session(immediate=True) as session:
                notice = build_notice(
                    session,
                    kind=NoticeKind(args.kind),
                    posted_on=args.posted or date.today(),
                    actor=_actor(),
                    period=parse_period(args.period) if args.period else None,
                    group_ids=_group_ids(session, args.group),
                    days=args.days,
                    mask_names=args.mask_names,
                )
                content = dict(notice.snapshot)
    finally:
        db.close()
    landscape = True if args.landscape else False if args.portrait else None
    pages: list[int] = []
    _write_pdf(out, lambda target: pages.append(render_notice(content, target, landscape=landscape)))
    print(
        f"已打印公示“{content.get('title', '')}”：共 {content.get('total', 0)} 人，{pages[0]} 页 → {out}\n"
        f"公示编号：{notice.id}（重印同一名单：pensiondesk print notice --notice {notice.id} --out 文件.pdf）"
    )
    return EXIT_OK


def cmd_print_notification(args: argparse.Namespace) -> int:
    """Print the 待遇领取通知表 of the residents reaching 60 (or of the given ID numbers)."""
    from pensiondesk.documents.notification_form import render_notification_forms
    from pensiondesk.services.pensioner_common import find_person_by_id_number
    from pensiondesk.services.pensioners import notification_form_data, reaching_60_list

    out = _out(args.out, (".pdf",))
    today = args.date or date.today()
    db = open_village_database(args)
    try:
        with db.session() as session:
            if args.id:
                person_ids = [find_person_by_id_number(session, number).id for number in args.id]
            else:
                person_ids = [r.person_id for r in reaching_60_list(session, as_of=today, within_months=args.months)]
            if not person_ids:
                raise CliError("没有需要通知的即将年满60周岁人员")
            forms = notification_form_data(session, person_ids, as_of=today)
    finally:
        db.close()
    _write_pdf(out, lambda target: render_notification_forms(forms, target, issued_on=today))
    print(f"已打印待遇领取通知表 {len(forms)} 份 → {out}")
    return EXIT_OK


def cmd_print_death_form(args: argparse.Namespace) -> int:
    """Print the cancellation and funeral subsidy application of a reported death."""
    from pensiondesk.documents.death_application import render_death_application
    from pensiondesk.services.deaths import cancellation_for, death_application
    from pensiondesk.services.pensioner_common import find_person_by_id_number

    out = _out(args.out, (".pdf",))
    db = open_village_database(args)
    try:
        with db.session() as session:
            person = find_person_by_id_number(session, args.id)
            cancellation = cancellation_for(session, person.id)
            if cancellation is None:
                raise CliError(f"{person.name}还没有登记死亡，请先用 pensiondesk death report 登记")
            form = death_application(session, cancellation.id)
    finally:
        db.close()
    _write_pdf(out, lambda target: render_death_application(form, target, printed_on=date.today()))
    print(f"已打印{form.name}的注销登记暨丧葬补助金申请表 → {out}")
    return EXIT_OK


# --- survival, death -------------------------------------------------------------------------------------------------


def cmd_survival_record(args: argparse.Namespace) -> int:
    """Record one survival certification."""
    from pensiondesk.domain.codes import SurvivalResult
    from pensiondesk.services.pensioner_common import find_person_by_id_number
    from pensiondesk.services.survival import CheckInput, parse_method, record_check

    method = parse_method(args.method)
    actor = _actor()
    db = open_village_database(args)
    try:
        with db.session(immediate=True) as session:
            person = find_person_by_id_number(session, args.id)
            entry = CheckInput(
                person_id=person.id,
                checked_on=args.date,
                method=method,
                certifier=args.certifier or actor.username,
                result=SurvivalResult(args.result),
                witness=args.witness,
                attachment=Path(args.attachment).expanduser() if args.attachment else None,
                notes=args.notes,
            )
            outcome = record_check(session, entry, actor=actor)
            message = outcome.message
    finally:
        db.close()
    print(message)
    return EXIT_OK


def cmd_death_report(args: argparse.Namespace) -> int:
    """Record a death: stop month, overpayment, funeral subsidy, the person terminated."""
    from pensiondesk.domain.codes import DeathSource
    from pensiondesk.domain.money import format_yuan
    from pensiondesk.services.deaths import DeathReport, HeirInput, report_death
    from pensiondesk.services.pensioner_common import find_person_by_id_number, parse_year_month

    heir = None
    if args.heir_name or args.heir_id or args.heir_card:
        heir = HeirInput(args.heir_name or "", args.heir_id or "", args.heir_card or "")
    db = open_village_database(args)
    try:
        with db.session(immediate=True) as session:
            person = find_person_by_id_number(session, args.id)
            report = DeathReport(
                person_id=person.id,
                death_date=args.date,
                reported_on=args.reported_on or date.today(),
                source=DeathSource(args.source),
                evidence_ref=args.evidence,
                paid_through=parse_year_month(args.paid_through) if args.paid_through else None,
                monthly_fen=args.monthly,
                imprisoned=args.imprisoned,
                other_funeral_grant=args.other_funeral_grant,
                heir=heir,
            )
            c = report_death(session, report, actor=_actor())
            lines = [
                f"已登记{person.name}死亡（{args.date.isoformat()}），自 {c.stop_month} 起停发养老金",
                f"多领 {c.overpaid_months} 个月，共 {format_yuan(c.overpaid_fen)} 元",
            ]
            if c.funeral_refusal_reason:
                lines.append(f"丧葬补助金：{c.funeral_refusal_reason}")
            else:
                payable = c.funeral_subsidy_fen - c.funeral_offset_fen
                grant, offset = format_yuan(c.funeral_subsidy_fen), format_yuan(c.funeral_offset_fen)
                lines.append(f"丧葬补助金 {grant} 元，抵扣多领 {offset} 元，实发 {format_yuan(payable)} 元")
            recover = c.overpaid_fen - c.funeral_offset_fen
            if recover:
                lines.append(f"仍需追回 {format_yuan(recover)} 元")
            if c.account_balance_fen is not None:
                lines.append(f"个人账户余额 {format_yuan(c.account_balance_fen)} 元，由继承人依法继承")
            if c.advance_owed_fen:
                lines.append(f"尚欠垫付资金 {format_yuan(c.advance_owed_fen)} 元")
    finally:
        db.close()
    print("\n".join(lines))
    return EXIT_OK


def cmd_import_deaths(args: argparse.Namespace) -> int:
    """Import a 民政 monthly death list: report the matched rows, list the others."""
    from pensiondesk.services.deaths import import_death_list

    source = Path(args.file).expanduser()
    if not source.is_file():
        raise CliError(f"找不到文件：{source}")
    db = open_village_database(args)
    try:
        with db.session(immediate=True) as session:
            result = import_death_list(session, source, actor=_actor(), reported_on=args.reported_on)
    finally:
        db.close()
    for note in result.notes:
        print(note)
    print(
        f"共 {result.total} 行：已登记死亡 {len(result.matched)} 人，需要核实 {len(result.ambiguous)} 行，"
        f"本村无此人 {len(result.unmatched)} 行，此前已登记 {len(result.already_reported)} 行，"
        f"有问题 {len(result.problems)} 行"
    )
    sections = (
        ("已登记死亡", result.matched),
        ("需要核实（未登记）", result.ambiguous),
        ("本村无此人", result.unmatched),
        ("此前已登记", result.already_reported),
        ("有问题", result.problems),
    )
    for title, matches in sections:
        if not matches:
            continue
        print(f"\n{title}：")
        for m in matches:
            when = m.row.death_date.isoformat() if m.row.death_date else ""
            extra = f"　{m.reason}" if m.reason else ""
            candidates = "；".join(f"{name} {number}" for _pid, name, number in m.candidates)
            extra += f"（本村：{candidates}）" if candidates else ""
            print(f"  第{m.row.row_number}行　{m.row.name}　{m.row.id_text}　{when}{extra}")
    return EXIT_INVALID if (result.ambiguous or result.unmatched or result.problems) else EXIT_OK


# --- report ----------------------------------------------------------------------------------------------------------


def cmd_report_progress(args: argparse.Namespace) -> int:
    """Write the progress figures with the lists behind them (.xlsx for the township, .pdf to print)."""
    from pensiondesk.services.progress import Measure, progress_list, progress_report

    out = _out(args.out, (".xlsx", ".pdf"))
    as_of = args.date or date.today()
    db = open_village_database(args)
    try:
        with db.session() as session:
            report = progress_report(session, as_of=as_of)
            lists = {m.value: progress_list(session, m, as_of=as_of) for m in Measure}
    finally:
        db.close()
    if out.suffix.lower() == ".xlsx":
        from pensiondesk.sheets.progress_export import write_progress_xlsx

        try:
            write_progress_xlsx(report, out, lists=lists)
        except OSError as exc:
            raise CliError(f"无法写入文件 {out}：{exc.strerror or exc}") from None
    else:
        from pensiondesk.documents.progress_report import render_progress_report

        _write_pdf(out, lambda target: render_progress_report(report, target, lists=lists))
    total = report.total
    figures = "，".join(
        f"{m.label} {total[m].rate_text}（{total[m].numerator}/{total[m].denominator}）" for m in Measure
    )
    print(f"{report.village.name} {as_of.isoformat()}：{figures} → {out}")
    return EXIT_OK


# --- registration ----------------------------------------------------------------------------------------------------


def register(subparsers: Subparsers) -> None:
    """Add ``print notice/notification/death-form``, ``survival record``, ``death report``, ``import deaths``,
    ``report progress``."""
    prints = subgroup(subparsers, "print", "打印")
    p = add_command(prints, "notice", cmd_print_notice, "生成并打印公示名单（PDF）")
    p.add_argument(
        "--kind",
        choices=KINDS,
        help="benefit 待遇领取资格；survival 认证结果；enrolment 参保缴费；death 死亡注销；collective 集体补助",
    )
    p.add_argument("--group", action="append", metavar="G", help="村民小组名称（可重复；默认全部小组）")
    p.add_argument("--period", metavar="P", help="期间：2026（年度）或 2026-11（月份）；默认按种类")
    p.add_argument("--posted", type=date_argument, metavar="DATE", help="张贴日期（默认今天）")
    p.add_argument("--days", type=int, metavar="N", help="公示天数（默认按政策包，一般 7 天）")
    p.add_argument("--mask-names", action="store_true", help="姓名第二个字显示为 *")
    orientation = p.add_mutually_exclusive_group()
    orientation.add_argument("--landscape", action="store_true", help="横向 A4")
    orientation.add_argument("--portrait", action="store_true", help="纵向 A4")
    p.add_argument("--notice", metavar="ID", help="重印已保存的公示（名单与当时完全相同）")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="输出的 PDF 文件")

    p = add_command(prints, "notification", cmd_print_notification, "打印待遇领取通知表（PDF，每人一页）")
    p.add_argument("--id", action="append", metavar="ID", help="身份证号（可重复；默认：即将年满60周岁的全部人员）")
    p.add_argument("--months", type=int, default=None, metavar="N", help="提前几个月（默认按政策包）")
    p.add_argument("--date", type=date_argument, metavar="DATE", help="通知日期（默认今天）")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="输出的 PDF 文件")

    p = add_command(prints, "death-form", cmd_print_death_form, "打印注销登记暨丧葬补助金申请表（PDF）")
    p.add_argument("--id", required=True, metavar="ID", help="死者身份证号")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="输出的 PDF 文件")

    survival = subgroup(subparsers, "survival", "领取资格认证")
    p = add_command(survival, "record", cmd_survival_record, "登记一次领取资格认证")
    p.add_argument("--id", required=True, metavar="ID", help="待遇领取人员的身份证号")
    p.add_argument("--method", required=True, metavar="M", help=METHOD_HELP)
    p.add_argument("--date", required=True, type=date_argument, metavar="DATE", help="认证日期，例如 2026-07-10")
    p.add_argument("--certifier", metavar="NAME", help="认证人（异地认证写认证机构；默认：操作员）")
    p.add_argument("--witness", metavar="NAME", help="见证人")
    p.add_argument(
        "--result", choices=("alive", "deceased", "not_found"), default="alive", help="认证结果（默认 alive 认证通过）"
    )
    p.add_argument("--attachment", metavar="FILE", help="照片或扫描件")
    p.add_argument("--notes", metavar="TEXT", help="备注")

    death = subgroup(subparsers, "death", "死亡注销")
    p = add_command(death, "report", cmd_death_report, "登记死亡：停发、多领、丧葬补助金")
    p.add_argument("--id", required=True, metavar="ID", help="死者身份证号")
    p.add_argument("--date", required=True, type=date_argument, metavar="DATE", help="死亡日期")
    p.add_argument("--reported-on", type=date_argument, metavar="DATE", help="报告日期（默认今天）")
    p.add_argument(
        "--source",
        choices=("family", "civil_affairs", "police", "county"),
        default="family",
        help="信息来源（默认 family 家属报告）",
    )
    p.add_argument("--evidence", metavar="TEXT", help="死亡证明、火化证明或户口注销证明编号")
    p.add_argument("--paid-through", metavar="YYYY-MM", help="养老金已发放至哪个月（默认：报告当月）")
    p.add_argument("--monthly", type=_fen, metavar="YUAN", help="月养老金（默认：核定金额）")
    p.add_argument("--imprisoned", action="store_true", help="死亡时正在服刑")
    p.add_argument("--other-funeral-grant", action="store_true", help="已享受其他丧葬补助")
    p.add_argument("--heir-name", metavar="NAME", help="继承人姓名")
    p.add_argument("--heir-id", metavar="ID", help="继承人身份证号")
    p.add_argument("--heir-card", metavar="CARD", help="继承人银行卡或社保卡号")

    imports = subgroup(subparsers, "import", "导入数据")
    p = add_command(imports, "deaths", cmd_import_deaths, "导入民政死亡名单：按身份证号和姓名比对，登记匹配的死亡")
    p.add_argument("file", metavar="FILE", help="死亡名单（.xlsx、.xls、.csv），须有姓名、身份证号、死亡日期列")
    p.add_argument("--reported-on", type=date_argument, metavar="DATE", help="报告日期（默认今天）")

    reports = subgroup(subparsers, "report", "报表")
    p = add_command(reports, "progress", cmd_report_progress, "工作进度（参保率、缴费率、发放率、认证率）")
    p.add_argument("--out", required=True, metavar="FILE", help="输出文件：.xlsx（乡镇汇总用）或 .pdf（打印）")
    p.add_argument("--date", type=date_argument, metavar="DATE", help="统计日期（默认今天）")
