"""疑似重复登记排查 on the command line: ``pensiondesk duplicates [--all]``.

Lists the village's likely duplicates (same name and birth date, or ID numbers one digit apart with names that
agree), one pair per line with the reason, as the GUI's 疑似重复 window (Ctrl+D) does; ``--all`` also lists the pairs
already judged 不是同一人, with the note. Deciding is done in the window. Exit code 0, also when pairs are found.
"""

from __future__ import annotations

import argparse

from pensiondesk.cli import EXIT_OK, Subparsers, add_command, open_village_database, village_id_of


def _who(person: object) -> str:
    from pensiondesk.services.people import DuplicatePerson

    assert isinstance(person, DuplicatePerson)
    group = f"，{person.group_name}" if person.group_name else ""
    return f"{person.name}（{person.id_number}，{person.birth_date.isoformat()}{group}，{person.status.label}）"


def cmd_duplicates(args: argparse.Namespace) -> int:
    """Print the likely duplicates of the village."""
    from pensiondesk.services.duplicates import likely_duplicates

    db = open_village_database(args)
    try:
        village_id = village_id_of(db)
        with db.session() as session:
            items = likely_duplicates(session, village_id, include_dismissed=args.all)
    finally:
        db.close()
    open_pairs = [item for item in items if not item.dismissed]
    for number, item in enumerate(items, start=1):
        verdict = f"  【已判定不是同一人：{item.note or '未写说明'}（{item.dismissed_by}）】" if item.dismissed else ""
        print(f"{number}. {item.pair.reason}{verdict}")
        print(f"   甲：{_who(item.pair.first)}")
        print(f"   乙：{_who(item.pair.second)}")
    if open_pairs:
        print(
            f"共 {len(open_pairs)} 对疑似重复登记，请核对户口簿或身份证后在程序的“疑似重复”（Ctrl+D）里处理："
            "是同一人的更正登记错的那条，不是同一人的点“不是同一人…”。"
        )
    else:
        print("没有发现疑似重复登记。")
    return EXIT_OK


def register(subparsers: Subparsers) -> None:
    """Add ``duplicates``."""
    p = add_command(
        subparsers, "duplicates", cmd_duplicates, "疑似重复登记排查：姓名和出生日期相同、或身份证号只差一位的"
    )
    p.add_argument("--all", action="store_true", help="也列出已判定“不是同一人”的")
