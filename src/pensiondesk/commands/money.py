"""Money subcommands (缴费与票据): collect, receipts and books, printing, the daily close, the unpaid list, the
estimator and advances.

::

    pensiondesk collect --id ID --year Y --tier T [--payer NAME]          prints the receipt number
    pensiondesk receipt void NUMBER --reason TEXT [--reissue]
    pensiondesk receipt lost NUMBER --reason TEXT
    pensiondesk receipt verify TEXT                                       checks a scanned verification code
    pensiondesk receipt calibrate --x MM --y MM                           overlay (套打) offsets
    pensiondesk receipt book add|list|open|close|reconcile|write-off
    pensiondesk print receipt NUMBER --out FILE.pdf [--overlay]
    pensiondesk print receipt-test --out FILE.pdf                         overlay calibration page
    pensiondesk close-day [--cash AMOUNT] [--note TEXT] [--out FILE.pdf]
    pensiondesk unpaid [--year Y] [--group NAME] [--out FILE.pdf|FILE.xlsx]
    pensiondesk estimate --birth-date D [--tiers 100,300] [--out FILE.pdf]
    pensiondesk advance apply|decide|repay|list

The operator (collector) is ``$PENSIONDESK_USER`` (default ``coordinator``) until logins exist, as for the people
commands. Refusals (a closed day, a second contribution for a year …) are one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import functools
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pensiondesk.cli import (
    EXIT_INVALID,
    EXIT_OK,
    CliError,
    Subparsers,
    add_command,
    default_db_path,
    demo_db_path,
    subgroup,
)

if TYPE_CHECKING:
    from pensiondesk.services.recording import Actor
    from pensiondesk.store.db import Database

__all__ = ["register"]

_CHANNELS = {"cash": "village_cash", "bank": "bank", "tax": "tax_bureau"}
_PAYERS = {"self": "self", "relative": "relative", "other": "other"}


# --- helpers ---------------------------------------------------------------------------------------------------------


def _database(args: argparse.Namespace) -> Database:
    from pensiondesk.services.database import open_for_work

    if args.db:
        path = Path(args.db).expanduser()
    else:
        path = demo_db_path() if getattr(args, "demo", False) else default_db_path()
    if not path.exists():
        raise CliError(f"找不到数据库文件：{path}。请用 --db 指定本村的数据库文件。")
    return open_for_work(path)


def _actor() -> Actor:
    from pensiondesk.services.accounts import current_actor

    return current_actor()  # the logged-in user (--user), else $PENSIONDESK_USER or coordinator


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 YYYY-MM-DD，例如 2026-03-02：{text}") from None


def _yuan(text: str) -> int:
    from pensiondesk.domain.money import InvalidAmount, parse_yuan

    try:
        return parse_yuan(text)
    except InvalidAmount as error:
        raise argparse.ArgumentTypeError(error.message) from None


def _tiers(text: str) -> list[int]:
    return [_yuan(part) for part in text.replace("，", ",").split(",") if part.strip()]


def _out(path_text: str, *suffixes: str) -> Path:
    path = Path(path_text).expanduser()
    if suffixes and path.suffix.lower() not in suffixes:
        raise CliError(f"输出文件应以 {' 或 '.join(suffixes)} 结尾：{path}")
    if not path.parent.exists():
        raise CliError(f"输出文件夹不存在：{path.parent}")
    return path


def _person_by_id(session, text: str):  # type: ignore[no-untyped-def]
    from pensiondesk.services.contributions import find_contributors

    found = find_contributors(session, text)
    if not found:
        raise CliError(f"本村没有身份证号为 {text} 的人员", EXIT_INVALID)
    if len(found) > 1:
        names = "、".join(f"{p.name}（{p.id_number}）" for p in found[:5])
        raise CliError(f"身份证号尾号 {text} 对应多人：{names}；请输入完整的身份证号", EXIT_INVALID)
    return found[0]


def _fen(fen: int) -> str:
    from pensiondesk.domain.money import format_yuan

    return format_yuan(fen)


# --- collect ---------------------------------------------------------------------------------------------------------


def cmd_collect(args: argparse.Namespace) -> int:
    """Record a contribution; for cash, issue the next receipt of the open book and print its number."""
    from pensiondesk.domain.codes import PayerKind, PaymentChannel
    from pensiondesk.domain.money import to_chinese_capital
    from pensiondesk.services.contributions import collect_contribution, tier_text

    actor = _actor()
    kind = PayerKind(_PAYERS[args.payer_kind]) if args.payer_kind else None
    if kind is None:
        kind = PayerKind.RELATIVE if args.payer else PayerKind.SELF
    db = _database(args)
    try:
        with db.session(immediate=True) as session:
            person = _person_by_id(session, args.id)
            result = collect_contribution(
                session,
                actor,
                person_id=person.id,
                year=args.year,
                tier_fen=args.tier,
                payer_kind=kind,
                payer_name=args.payer,
                channel=PaymentChannel(_CHANNELS[args.channel]),
                catch_up_approval_ref=args.approval,
                received_fen=args.amount,
                on=args.date,
            )
            quote = result.quote
            summary = (
                f"{person.name} {quote.year} 年度 {tier_text(quote.tier_fen)} 元档："
                f"个人缴 {_fen(quote.personal_fen)} 元（{to_chinese_capital(quote.personal_fen)}），"
                f"记入个人账户 {_fen(quote.credited_fen)} 元"
            )
            label = result.receipt_label
    finally:
        db.close()
    if label:
        print(label)
        print(f"已收款：{summary}", file=sys.stderr)
    else:
        reason = "个人无需缴费" if quote.personal_fen == 0 else f"{PaymentChannel(_CHANNELS[args.channel]).label}"
        print(f"已登记，不开村级收据（{reason}）：{summary}")
    return EXIT_OK


# --- receipts --------------------------------------------------------------------------------------------------------


def cmd_receipt_void(args: argparse.Namespace) -> int:
    """Void a receipt (作废); by default its contribution is reversed, with --reissue the next number replaces it."""
    from pensiondesk.services.receipts import receipt_label, void_receipt

    db = _database(args)
    try:
        with db.session(immediate=True) as session:
            result = void_receipt(session, _actor(), args.number, args.reason, reissue=args.reissue, on=args.date)
            voided = receipt_label(result.receipt.series, result.receipt.number)
            reissued = receipt_label(result.reissued.series, result.reissued.number) if result.reissued else None
            reversed_fen = -result.reversal.personal_fen if result.reversal else None
    finally:
        db.close()
    print(f"已作废：{voided}（{args.reason}）")
    if reissued:
        print(f"换开新收据：{reissued}")
    elif reversed_fen is not None:
        print(f"缴费记录已冲正，退还缴费人 {_fen(reversed_fen)} 元")
    return EXIT_OK


def cmd_receipt_lost(args: argparse.Namespace) -> int:
    """Report a blank receipt number as lost (遗失登记)."""
    from pensiondesk.services.receipts import receipt_label, report_lost

    db = _database(args)
    try:
        with db.session(immediate=True) as session:
            receipt = report_lost(session, _actor(), args.number, args.reason, on=args.date)
            label = receipt_label(receipt.series, receipt.number)
    finally:
        db.close()
    print(f"已登记遗失：{label}")
    return EXIT_OK


def cmd_receipt_verify(args: argparse.Namespace) -> int:
    """Check a scanned verification code against this database's signing key."""
    from pensiondesk.domain.receipt_signature import verify_receipt_qr
    from pensiondesk.services.receipts import receipt_label, receipt_signing_key

    text = args.text if args.text != "-" else sys.stdin.read().strip()
    db = _database(args)
    try:
        with db.session(immediate=True) as session:
            key = receipt_signing_key(session, _actor())
    finally:
        db.close()
    check = verify_receipt_qr(text, key)
    if not check.valid:
        print(f"无效：{check.reason}")
        return EXIT_INVALID
    s = check.summary
    assert s is not None
    print(
        f"真：收据 {receipt_label(s.series, s.number)}，{s.day.isoformat()}，{s.year} 年度，"
        f"档次 {_fen(s.tier_fen)} 元，实收 {_fen(s.amount_fen)} 元，补贴 {_fen(s.subsidy_fen)} 元，参保人 {s.id_masked}"
    )
    return EXIT_OK


def cmd_receipt_calibrate(args: argparse.Namespace) -> int:
    """Set (or with no values show) the overlay offsets in millimetres."""
    from pensiondesk.services.receipts import overlay_offset, set_overlay_offset

    db = _database(args)
    try:
        with db.session(immediate=True) as session:
            if args.x is None and args.y is None:
                offset = overlay_offset(session)
            else:
                current = overlay_offset(session)
                offset = set_overlay_offset(
                    session,
                    _actor(),
                    args.x if args.x is not None else current.x_mm,
                    args.y if args.y is not None else current.y_mm,
                )
    finally:
        db.close()
    print(f"套打偏移：水平 {offset.x_mm} 毫米（向右为正），垂直 {offset.y_mm} 毫米（向下为正）")
    return EXIT_OK


def cmd_book_add(args: argparse.Namespace) -> int:
    """Register a receipt book issued by the county; --open starts using it."""
    from pensiondesk.services.receipts import open_book, receipt_label, register_book

    actor = _actor()
    db = _database(args)
    try:
        with db.session(immediate=True) as session:
            book = register_book(
                session,
                actor,
                series=args.series,
                start_no=args.start,
                end_no=args.end,
                collector=args.collector,
                issued_on=args.date,
            )
            if args.open:
                open_book(session, actor, book.id)
            text = f"{receipt_label(book.series, book.start_no)} 至 {book.end_no}，领用人 {book.collector}"
            status = book.status.label
    finally:
        db.close()
    print(f"已登记票据本：{text}（{status}）")
    return EXIT_OK


def _book_action(args: argparse.Namespace, action: str) -> int:
    from pensiondesk.services.receipts import close_book, find_book, open_book, reconcile_book, write_off_book

    actor = _actor()
    db = _database(args)
    try:
        with db.session(immediate=True) as session:
            book = find_book(session, args.book)
            if action == "open":
                open_book(session, actor, book.id)
                print(f"已启用票据本 {book.series} {book.start_no}–{book.end_no}")
                return EXIT_OK
            if action == "close":
                close_book(session, actor, book.id, args.reason)
                print(f"已结本：{book.series} {book.start_no}–{book.end_no}")
            if action == "write-off":
                write_off_book(session, actor, book.id)
                print(f"已核销：{book.series} {book.start_no}–{book.end_no}")
            result = reconcile_book(session, book.id)
    finally:
        db.close()
    unused = "、".join(f"{a}" if a == b else f"{a}–{b}" for a, b in result.unused) or "无"
    print(f"票据本 {result.book.series} {result.book.start_no}–{result.book.end_no}（{result.book.status.label}）")
    print(f"  开具 {len(result.issued)} 张，合计 {_fen(result.issued_total_fen)} 元")
    print(f"  作废 {len(result.void)} 张：{'、'.join(map(str, result.void)) or '无'}")
    print(f"  遗失 {len(result.lost)} 张：{'、'.join(map(str, result.lost)) or '无'}")
    print(f"  未使用 {result.unused_count} 张：{unused}")
    if result.problems:
        print("  对账不平：" + "；".join(result.problems))
        return EXIT_INVALID
    print("  对账相符")
    return EXIT_OK


def cmd_book_list(args: argparse.Namespace) -> int:
    """List the receipt books with their counts."""
    from pensiondesk.services.receipts import list_books, receipt_label

    db = _database(args)
    try:
        with db.session() as session:
            rows = list_books(session)
    finally:
        db.close()
    if not rows:
        print("还没有登记票据本")
    for row in rows:
        book = row.book
        next_text = receipt_label(book.series, book.next_no) if book.next_no <= book.end_no else "已用完"
        print(
            f"{book.series}\t{book.start_no}–{book.end_no}\t{book.collector}\t{book.status.label}\t下一个 {next_text}\t"
            f"开具 {row.issued}  作废 {row.void}  遗失 {row.lost}  未用 {row.unused}\t{_fen(row.issued_total_fen)} 元"
        )
    return EXIT_OK


# --- printing --------------------------------------------------------------------------------------------------------


def cmd_print_receipt(args: argparse.Namespace) -> int:
    """Print a receipt to a PDF (three parts on A4, or with --overlay only the values for pre-printed paper)."""
    from pensiondesk.documents.receipt import render_overlay, render_receipts
    from pensiondesk.services.receipts import overlay_mode, overlay_offset, print_receipt

    out = _out(args.out, ".pdf")
    db = _database(args)
    try:
        with db.session(immediate=True) as session:
            data = print_receipt(session, _actor(), args.number)
            offset = overlay_offset(session)
            overlay = args.overlay or overlay_mode(session)
    finally:
        db.close()
    if overlay:
        render_overlay([data], out, offset)
    else:
        render_receipts([data], out)
    mark = f"（重打 第{data.reprint_no}次）" if data.reprint_no else ""
    print(f"已生成收据 {data.label}{mark}：{out}")
    return EXIT_OK


def cmd_print_receipt_test(args: argparse.Namespace) -> int:
    """Print the overlay calibration test page (套打校准页) with the current offsets."""
    from pensiondesk.documents.receipt import render_overlay_test_page
    from pensiondesk.services.receipts import overlay_offset

    out = _out(args.out, ".pdf")
    db = _database(args)
    try:
        with db.session() as session:
            offset = overlay_offset(session)
    finally:
        db.close()
    render_overlay_test_page(out, offset)
    print(f"已生成套打校准页（水平 {offset.x_mm} 毫米，垂直 {offset.y_mm} 毫米）：{out}")
    return EXIT_OK


# --- daily close -----------------------------------------------------------------------------------------------------


def cmd_close_day(args: argparse.Namespace) -> int:
    """Show the day's receipts; with --cash close the day (日结) and lock it; --out writes the 交款单."""
    from pensiondesk.documents.handover import render_handover
    from pensiondesk.services.receipts import close_day, day_summary

    actor = _actor()
    day = args.date or date.today()
    out = _out(args.out, ".pdf") if args.out else None
    db = _database(args)
    try:
        with db.session(immediate=True) as session:
            if args.cash is not None:
                close_day(session, actor, day, args.cash, note=args.note)
            summary = day_summary(session, day, actor.username, actor=actor)
    finally:
        db.close()
    for line in summary.lines:
        note = f"\t{line.void_reason}" if line.void_reason else ""
        print(f"{line.label}\t{line.status.label}\t{line.person_name}\t{_fen(line.amount_fen)}{note}")
    print(
        f"{day.isoformat()}：有效收据 {summary.issued_count} 张，合计 {_fen(summary.issued_total_fen)} 元；"
        f"作废 {summary.void_count} 张；遗失 {summary.lost_count} 张"
    )
    if summary.closed is not None:
        close = summary.closed
        difference = close.cash_handed_fen - close.receipts_total_fen
        print(f"已日结：实交现金 {_fen(close.cash_handed_fen)} 元，差额 {_fen(difference)} 元；当天票据已锁定")
    else:
        print("尚未日结：用 --cash 金额 完成日结")
    if out is not None:
        render_handover(summary, out)
        print(f"交款单：{out}")
    return EXIT_OK


# --- unpaid list, estimate -------------------------------------------------------------------------------------------


def cmd_unpaid(args: argparse.Namespace) -> int:
    """The unpaid list (催缴名单) of a year, by villager group; --out writes a PDF or an .xlsx."""
    from sqlalchemy import select

    from pensiondesk.documents.unpaid import render_unpaid_list
    from pensiondesk.services.contributions import tier_text, unpaid_list, write_unpaid_xlsx
    from pensiondesk.store.models import VillagerGroup

    year = args.year or date.today().year
    out = _out(args.out, ".pdf", ".xlsx") if args.out else None
    db = _database(args)
    try:
        with db.session() as session:
            group_id = None
            if args.group:
                group_id = session.scalar(select(VillagerGroup.id).where(VillagerGroup.name == args.group))
                if group_id is None:
                    raise CliError(f"没有名为“{args.group}”的村民小组")
            unpaid = unpaid_list(session, year, group_id=group_id)
    finally:
        db.close()
    if out is None:
        for index, row in enumerate(unpaid.rows, start=1):
            last = f"{row.last_paid_year}年{tier_text(row.last_tier_fen)}元" if row.last_tier_fen is not None else "无"
            print(f"{index}\t{row.group_name}\t{row.name}\t{row.id_number}\t{row.phone}\t上次 {last}")
    elif out.suffix.lower() == ".xlsx":
        write_unpaid_xlsx(unpaid, out)
    else:
        render_unpaid_list(unpaid, out, full_ids=args.full_ids)
    print(
        f"{year} 年度：参保缴费 {unpaid.contributors} 人，已缴 {unpaid.paid} 人，未缴 {len(unpaid.rows)} 人，"
        f"缴费率 {unpaid.payment_rate}%" + (f"；已写入 {out}" if out else ""),
        file=sys.stderr if out is None else sys.stdout,
    )
    return EXIT_OK


def cmd_estimate(args: argparse.Namespace) -> int:
    """算账: the tiers side by side for a birth date (or a registered person); --out writes the one-page PDF."""
    from pensiondesk.documents.estimate import ESTIMATE_HEADER, estimate_rows, render_estimate
    from pensiondesk.services.contributions import estimate_benefits, estimate_for_person
    from pensiondesk.services.people import policy_pack_in_force

    if args.birth_date is None and args.id is None:
        raise CliError("请用 --birth-date 给出出生日期，或用 --id 给出本村人员的身份证号")
    out = _out(args.out, ".pdf") if args.out else None
    today = args.date or date.today()
    db = _database(args)
    try:
        with db.session() as session:
            if args.id:
                person = _person_by_id(session, args.id)
                estimate = estimate_for_person(session, person.id, tiers=args.tiers, on=today)
            else:
                pack = policy_pack_in_force(session, today)
                estimate = estimate_benefits(pack, birth_date=args.birth_date, as_of=today, tiers=args.tiers)
    finally:
        db.close()
    print("\t".join(ESTIMATE_HEADER))
    for row in estimate_rows(estimate):
        print("\t".join(row))
    print(
        f"今后缴费 {estimate.future_years} 年（{estimate.first_year}–{estimate.last_year}），"
        f"合计 {estimate.total_years} 年；"
        f"{estimate.pension_start.year}年{estimate.pension_start.month}月起领取；{estimate.rate_text}"
    )
    for warning in estimate.warnings:
        print(f"注意：{warning}")
    if out is not None:
        render_estimate(estimate, out)
        print(f"算账表：{out}")
    return EXIT_OK


# --- advances --------------------------------------------------------------------------------------------------------


def _advance_of(session, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from pensiondesk.services.advances import list_advances

    person = _person_by_id(session, args.id)
    views = [v for v in list_advances(session, person_id=person.id)]
    if not views:
        raise CliError(f"{person.name} 没有缴费资金垫付记录", EXIT_INVALID)
    return views[0]


def cmd_advance_apply(args: argparse.Namespace) -> int:
    """Apply for a payment advance (垫付申请) within the pack's cap."""
    from pensiondesk.services.advances import advance_limit, apply_advance

    db = _database(args)
    try:
        with db.session(immediate=True) as session:
            person = _person_by_id(session, args.id)
            limit = advance_limit(session, person.id, on=args.date)
            advance = apply_advance(session, _actor(), person.id, amount_fen=args.amount, on=args.date)
            amount = advance.amount_fen
    finally:
        db.close()
    print(
        f"已申请垫付 {_fen(amount)} 元（缺缴 {limit.missing_years} 年，上限 {_fen(limit.max_fen)} 元），待县社保局审批"
    )
    return EXIT_OK


def cmd_advance_decide(args: argparse.Namespace) -> int:
    """Record the county's decision on an advance."""
    from pensiondesk.services.advances import decide_advance

    db = _database(args)
    try:
        with db.session(immediate=True) as session:
            view = _advance_of(session, args)
            advance = decide_advance(
                session, _actor(), view.advance.id, approved=not args.refuse, on=args.date, reason=args.refuse
            )
            state = advance.state.label
    finally:
        db.close()
    print(f"{view.person_name} 的垫付：{state}")
    return EXIT_OK


def cmd_advance_repay(args: argparse.Namespace) -> int:
    """Record a repayment: the county's withholding of a month's pension, or --agreement."""
    from pensiondesk.services.advances import RepaymentSource, record_repayment

    source = RepaymentSource.AGREEMENT if args.agreement else RepaymentSource.WITHHOLDING
    db = _database(args)
    try:
        with db.session(immediate=True) as session:
            view = _advance_of(session, args)
            advance = record_repayment(session, _actor(), view.advance.id, args.amount, source=source, month=args.month)
            balance = advance.amount_fen - advance.repaid_fen
            state = advance.state.label
    finally:
        db.close()
    print(f"{view.person_name}：已还 {_fen(args.amount)} 元，待还余额 {_fen(balance)} 元（{state}）")
    return EXIT_OK


def cmd_advance_list(args: argparse.Namespace) -> int:
    """List the advances with the balance still owed."""
    from pensiondesk.services.advances import list_advances

    db = _database(args)
    try:
        with db.session() as session:
            views = list_advances(session)
    finally:
        db.close()
    if not views:
        print("没有缴费资金垫付记录")
    for view in views:
        a = view.advance
        print(
            f"{view.person_name}\t{view.id_number}\t{a.applied_on.isoformat()}\t{a.state.label}\t"
            f"垫付 {_fen(a.amount_fen)}\t已还 {_fen(a.repaid_fen)}\t余额 {_fen(view.balance_fen)}"
        )
    return EXIT_OK


# --- registration ----------------------------------------------------------------------------------------------------


def register(sub: Subparsers) -> None:
    """Add the money commands to the ``pensiondesk`` parser."""
    p = add_command(sub, "collect", cmd_collect, "收款：登记缴费，现金收款开具下一张收据并显示票据号码")
    p.add_argument("--id", required=True, metavar="ID", help="参保人身份证号（或后 4 位以上）")
    p.add_argument("--year", required=True, type=int, metavar="Y", help="缴费年度；早于今年为补缴")
    p.add_argument("--tier", required=True, type=_yuan, metavar="T", help="缴费档次（元），例如 300")
    p.add_argument("--payer", metavar="NAME", help="缴费人姓名（亲属或他人代缴时）")
    p.add_argument("--payer-kind", choices=sorted(_PAYERS), help="缴费人：self 本人、relative 亲属代缴、other 其他")
    p.add_argument("--channel", choices=sorted(_CHANNELS), default="cash", help="cash 村级现金（默认）、bank、tax")
    p.add_argument("--approval", metavar="REF", help="补缴的乡镇审批文号")
    p.add_argument("--amount", type=_yuan, metavar="AMOUNT", help="实收金额（元），须与应缴金额一致")
    p.add_argument("--date", type=_date, metavar="D", help="收款日期（默认今天）")

    receipt = subgroup(sub, "receipt", "票据：作废、遗失、验真、套打校准、票据本")
    p = add_command(receipt, "void", cmd_receipt_void, "作废收据（号码保留并标记作废）")
    p.add_argument("number", metavar="NUMBER", help="票据号码，例如 HQ2026-00000123 或 123")
    p.add_argument("--reason", required=True, help="作废原因")
    p.add_argument("--reissue", action="store_true", help="换开：保留缴费记录，用下一个号码重开收据")
    p.add_argument("--date", type=_date, metavar="D", help="办理日期（默认今天）")
    p = add_command(receipt, "lost", cmd_receipt_lost, "登记遗失的空白票据号码")
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--reason", required=True, help="遗失情况说明")
    p.add_argument("--date", type=_date, metavar="D")
    p = add_command(receipt, "verify", cmd_receipt_verify, "核验收据二维码（防伪码）的内容；- 表示从标准输入读取")
    p.add_argument("text", metavar="TEXT")
    p = add_command(receipt, "calibrate", cmd_receipt_calibrate, "设置或查看套打偏移（毫米，向右、向下为正）")
    p.add_argument("--x", metavar="MM", help="水平偏移（毫米）")
    p.add_argument("--y", metavar="MM", help="垂直偏移（毫米）")

    book = subgroup(receipt, "book", "票据本：登记、启用、结本、对账、核销")
    p = add_command(book, "add", cmd_book_add, "登记县社保局发放的票据本")
    p.add_argument("--series", required=True, help="票据字轨，例如 HQ2026")
    p.add_argument("--start", required=True, type=int, help="起始号码")
    p.add_argument("--end", required=True, type=int, help="终止号码")
    p.add_argument("--collector", help="领用人（默认当前操作员）")
    p.add_argument("--date", type=_date, metavar="D", help="领用日期（默认今天）")
    p.add_argument("--open", action="store_true", help="登记后立即启用")
    add_command(book, "list", cmd_book_list, "列出票据本")
    for name, help_text in (
        ("open", "启用票据本"),
        ("reconcile", "票据本对账"),
        ("write-off", "核销已结本且对账相符的票据本"),
    ):
        p = add_command(book, name, functools.partial(_book_action, action=name), help_text)
        p.add_argument("book", metavar="BOOK", help="字轨，或 字轨-起始号码，例如 HQ2026-1001")
    p = add_command(book, "close", functools.partial(_book_action, action="close"), "结本（提前结本须说明原因）")
    p.add_argument("book", metavar="BOOK")
    p.add_argument("--reason", help="提前结本的原因")

    printing = subgroup(sub, "print", "打印")
    p = add_command(printing, "receipt", cmd_print_receipt, "打印收据（PDF，存根/收据/记账三联；再次打印记为重打）")
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument(
        "--overlay", action="store_true", help="套打：只打印内容，用于县里预印的收据纸（默认按程序中的设置）"
    )
    p = add_command(printing, "receipt-test", cmd_print_receipt_test, "打印套打校准页")
    p.add_argument("--out", required=True, metavar="FILE.pdf")

    p = add_command(sub, "close-day", cmd_close_day, "日结：查看当天票据；给出 --cash 时日结并锁定当天")
    p.add_argument("--cash", type=_yuan, metavar="AMOUNT", help="实交现金（元）")
    p.add_argument("--note", help="差额说明（实交现金与收据合计不符时必填）")
    p.add_argument("--date", type=_date, metavar="D", help="日结日期（默认今天）")
    p.add_argument("--out", metavar="FILE.pdf", help="交款单 PDF")

    p = add_command(sub, "unpaid", cmd_unpaid, "催缴名单：本年度未缴费的参保缴费人员，按村民小组")
    p.add_argument("--year", type=int, metavar="Y", help="年度（默认今年）")
    p.add_argument("--group", metavar="NAME", help="只列一个村民小组")
    p.add_argument("--out", metavar="FILE", help="写入 .pdf（打印）或 .xlsx（导出）")
    p.add_argument("--full-ids", action="store_true", help="PDF 中显示完整身份证号（默认脱敏）")

    p = add_command(sub, "estimate", cmd_estimate, "算账：各缴费档次的费用、补贴、到龄账户余额和月养老金")
    p.add_argument("--birth-date", type=_date, metavar="D", help="出生日期 YYYY-MM-DD")
    p.add_argument("--id", metavar="ID", help="本村人员的身份证号（计入其参保身份和已缴年限）")
    p.add_argument("--tiers", type=_tiers, metavar="T,T", help="只算这些档次（元），例如 100,300,500")
    p.add_argument("--date", type=_date, metavar="D", help="测算日期（默认今天）")
    p.add_argument("--out", metavar="FILE.pdf", help="写入一页测算表 PDF")

    advance = subgroup(sub, "advance", "缴费资金垫付")
    p = add_command(advance, "apply", cmd_advance_apply, "申请垫付（超过领取年龄的新参保人员）")
    p.add_argument("--id", required=True, metavar="ID")
    p.add_argument("--amount", type=_yuan, help="垫付金额（元，默认按上限）")
    p.add_argument("--date", type=_date, metavar="D")
    p = add_command(advance, "decide", cmd_advance_decide, "登记县社保局的审批结果（默认批准）")
    p.add_argument("--id", required=True, metavar="ID")
    p.add_argument("--refuse", metavar="REASON", help="不予批准及原因")
    p.add_argument("--date", type=_date, metavar="D")
    p = add_command(advance, "repay", cmd_advance_repay, "登记还款：县里扣发的养老金，或 --agreement 协议还款")
    p.add_argument("--id", required=True, metavar="ID")
    p.add_argument("--amount", required=True, type=_yuan)
    p.add_argument("--month", metavar="YYYY-MM", help="扣发的月份")
    p.add_argument("--agreement", action="store_true")
    add_command(advance, "list", cmd_advance_list, "列出垫付及待还余额")
