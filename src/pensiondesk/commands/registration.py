"""参保登记 subcommand: ``pensiondesk register ID [--tier 300] [--category CODE] [--date D]`` and ``--submit``.

``register ID`` enters the registration form (录入, state 已录入) of the resident with that 公民身份号码, as 参保登记
(Ctrl+G) on the person list does; 初审 is then done by another person on 审核. ``register --submit`` sends up
(上报) every registration of the village that passed 村级初审 and is not yet submitted, as 审核 → 待上报 does.
Exit codes: 0 done; 1 refused (the service says why; nothing written); 2 the input or the database cannot be used.
The operator is the logged-in user (``--user``), else ``$PENSIONDESK_USER``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from pensiondesk.cli import (
    EXIT_INVALID,
    EXIT_OK,
    CliError,
    Subparsers,
    add_command,
    date_argument,
    open_village_database,
)

if TYPE_CHECKING:
    pass


def cmd_register(args: argparse.Namespace) -> int:
    """Enter one resident's registration, or submit the checked ones."""
    from pensiondesk.services import accounts, registration
    from pensiondesk.services.pensioner_common import find_person_by_id_number
    from pensiondesk.services.people_types import ServiceError
    from pensiondesk.services.person_queries import current_village_id

    if args.submit == bool(args.number):
        raise CliError("请写一个身份证号（录入参保登记），或只写 --submit（上报已初审的登记），二者选一。")
    if args.submit and (args.tier or args.category or args.date):
        raise CliError("--submit 不能和 --tier、--category、--date 一起使用。")
    actor = accounts.current_actor()
    db = open_village_database(args)
    try:
        with db.session(immediate=True) as session:
            if args.submit:
                ready = registration.checked_registrations(session, village_id=current_village_id(session))
                if not ready:
                    print("没有已初审、待上报的参保登记。")
                    return EXIT_OK
                registration.submit(session, actor, [item.registration_id for item in ready])
                print(f"已上报 {len(ready)} 人的参保登记：{'、'.join(item.name for item in ready)}")
                return EXIT_OK
            person = find_person_by_id_number(session, args.number)
            entered = registration.register(
                session,
                actor,
                person.id,
                registered_on=args.date or date.today(),
                category_code=args.category,
                tier_yuan=args.tier,
            )
            name, day = person.name, entered.registered_on
    except ServiceError as error:
        print(f"错误：{error.user_message}", file=sys.stderr)
        return EXIT_INVALID
    finally:
        db.close()
    print(f"已录入{name}的参保登记（{day.isoformat()}），请另一位工作人员在“审核”中初审。")
    return EXIT_OK


def register(subparsers: Subparsers) -> None:
    """Add ``register``."""
    p = add_command(
        subparsers, "register", cmd_register, "参保登记：录入一个人的参保登记，或用 --submit 上报已初审的登记"
    )
    p.add_argument("number", nargs="?", metavar="ID_NUMBER", help="要登记的人员的身份证号")
    p.add_argument("--tier", metavar="YUAN", help="缴费档次（元），例如 300；不写为暂不选择")
    p.add_argument("--category", metavar="CODE", help="参保身份代码（默认：本人已登记的困难身份，没有则为普通）")
    p.add_argument("--date", type=date_argument, metavar="DATE", help="登记日期（默认今天），例如 2026-07-10")
    p.add_argument("--submit", action="store_true", help="上报本村所有已通过村级初审、还没有上报的参保登记")
