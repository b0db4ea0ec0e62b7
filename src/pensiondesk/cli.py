"""Command line (命令行): ``pensiondesk`` starts the GUI; subcommands do scriptable work over the same services.

One pattern for every subcommand: a ``cmd_*`` function taking the parsed arguments and returning an exit code,
registered in ``build_parser``. Heavy modules (SQLAlchemy, Qt, ReportLab) are imported inside the commands that need
them, so ``pensiondesk id check`` answers at once. Errors are one plain line on stderr and a non-zero exit:
``CliError`` for the user's input, ``StoreError`` for the database, anything else is logged and reported as an
internal error without a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from pensiondesk import __version__
from pensiondesk.paths import data_dir

if TYPE_CHECKING:
    from pensiondesk.services.settings import Language
    from pensiondesk.store.db import Database

EXIT_OK = 0
EXIT_INVALID = 1  # some input was invalid (an ID, a row); the command ran
EXIT_USAGE = 2  # the command could not run (bad arguments, unreadable file)
EXIT_LOGIN = 3  # the database has users and the login failed (no user given, wrong password, disabled user)
EXIT_INTERNAL = 70
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a pipeline cut short

# Modules that add subcommands, each with ``register(subparsers)``; module tops import nothing heavy.
COMMAND_MODULES: tuple[str, ...] = (
    "pensiondesk.commands.people",
    "pensiondesk.commands.duplicates",
    "pensiondesk.commands.registration",
    "pensiondesk.commands.money",
    "pensiondesk.commands.sync",
    "pensiondesk.commands.pensioners",
    "pensiondesk.commands.announcements",
    "pensiondesk.commands.backup",
    "pensiondesk.commands.audit",
    "pensiondesk.commands.users",
)

Subparsers = argparse._SubParsersAction  # the object ``add_subparsers`` returns

DEMO_DB_NAME = "demo.sqlite"
DEFAULT_DB_NAME = "pensiondesk.sqlite"


class CliError(Exception):
    """The user's input cannot be used; ``message`` says why and what to do, in Chinese."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def log_dir() -> Path:
    """Where internal errors are logged."""
    return data_dir() / "logs"


def default_db_path() -> Path:
    return data_dir() / DEFAULT_DB_NAME


def demo_db_path() -> Path:
    return data_dir() / DEMO_DB_NAME


def _db_path(args: argparse.Namespace) -> Path:
    if args.db:
        return Path(args.db).expanduser()
    return demo_db_path() if getattr(args, "demo", False) else default_db_path()


def open_village_database(args: argparse.Namespace) -> Database:
    """The village database of ``--db`` (or ``--demo``, or the default), opened for work; a missing file is a
    :class:`CliError` saying how to name it."""
    from pensiondesk.services.database import open_for_work

    path = _db_path(args)
    if not path.exists():
        raise CliError(f"找不到数据库文件：{path}。请用 --db 指定本村的数据库文件。")
    return open_for_work(path)


def village_id_of(db: Database) -> str:
    """The village the database is set up for (本村); a :class:`CliError` saying what to do when it is not set."""
    from pensiondesk.store.models import Setting, Village

    with db.session() as session:
        setting = session.get(Setting, "village_id")
        village_id = setting.value if setting is not None else None
        if not isinstance(village_id, str) or session.get(Village, village_id) is None:
            raise CliError(
                "数据库中还没有设置本村信息（行政村）。请先在程序中设置本村，或同步县里下发的村信息后再导入或导出。"
            )
        return village_id


def date_argument(text: str) -> date:
    """An argparse ``type`` for dates: 2026-07-10 (or 2026/07/10)."""
    try:
        return date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效，请写成 2026-07-10") from None


# --- commands -----------------------------------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    """Start the desktop program; with --demo, on the demo database (created when missing)."""
    path = _db_path(args)
    if args.demo and not path.exists():
        print(f"正在生成演示数据库（{args.persons} 人）：{path}", file=sys.stderr)
        _make_demo(path, persons=args.persons, seed=1)
    from pensiondesk.gui.app import run_gui

    return run_gui(path, log_dir=log_dir(), language=args.lang)


def cmd_demo(args: argparse.Namespace) -> int:
    """Create a demo village in a new database."""
    path = _db_path(args)
    summary = _make_demo(path, persons=args.persons, seed=args.seed)
    statuses = "，".join(f"{_status_label(k)} {v}" for k, v in sorted(summary.by_status.items()))
    print(
        f"已生成演示村 {summary.village_name}：{summary.persons} 人，{summary.households} 户，"
        f"{summary.groups} 个村民小组（{statuses}）\n数据库：{path}\n"
        "数据库已加密。登录：用户名 demo，密码 demo（管理员）；复核员 reviewer，密码 reviewer"
    )
    return EXIT_OK


def _status_label(value: str) -> str:
    from pensiondesk.domain.codes import PersonStatus

    return PersonStatus(value).label


def _make_demo(path: Path, *, persons: int, seed: int):  # type: ignore[no-untyped-def]
    from pensiondesk.services.database import create_demo_database_with_logins

    return create_demo_database_with_logins(path, persons=persons, seed=seed)


def cmd_id_check(args: argparse.Namespace) -> int:
    """Check resident ID numbers: print the normalised number, birth date and sex, or why it is invalid."""
    from pensiondesk.domain.idnumber import InvalidIdNumber, parse

    numbers: list[str] = list(args.numbers)
    if not numbers or numbers == ["-"]:
        numbers = [line.strip() for line in sys.stdin if line.strip()]
    if not numbers:
        raise CliError("请给出要检查的身份证号，例如：pensiondesk id check 11010519491231002X")
    invalid = 0
    for raw in numbers:
        try:
            rid = parse(raw)
        except InvalidIdNumber as exc:
            invalid += 1
            print(f"{raw}\t无效\t{exc.message}")
            continue
        note = "\t（15位旧号码，已转换为18位）" if rid.converted_from_15 else ""
        print(f"{rid.number}\t有效\t出生日期 {rid.birth_date.isoformat()}\t性别 {rid.sex.label}{note}")
    return EXIT_INVALID if invalid else EXIT_OK


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Upgrade the database to this program's schema (a backup is made first)."""
    from pensiondesk.services.database import upgrade_database

    path = _db_path(args)
    if not path.exists():
        raise CliError(f"找不到数据库文件：{path}")
    result = upgrade_database(path)
    if result.backup_path:
        print(f"已升级：{result.from_revision} → {result.to_revision}；升级前的备份：{result.backup_path}")
    else:
        print(f"数据库已是最新版本（{result.to_revision}），无需升级")
    return EXIT_OK


def cmd_db_info(args: argparse.Namespace) -> int:
    """Describe the database: file, size, schema revision, village, number of people."""
    from pensiondesk.services.database import database_info

    path = _db_path(args)
    if not path.exists():
        raise CliError(f"找不到数据库文件：{path}")
    labels = {
        "path": "文件",
        "size_bytes": "大小（字节）",
        "revision": "数据库版本",
        "head": "程序支持的版本",
        "village": "村",
        "persons": "人数",
        "journal_mode": "日志模式",
        "status": "版本状态",
    }
    states = {"current": "最新", "behind": "需要升级（打开程序或运行 db upgrade 时先备份再升级）"}
    for key, value in database_info(path).items():
        shown = states.get(value, value) if key == "status" and isinstance(value, str) else value
        print(f"{labels.get(key, key)}：{shown}")
    return EXIT_OK


# --- parser and entry point ---------------------------------------------------------------------------------------


def _language(text: str) -> Language:
    from pensiondesk.services.settings import Language

    try:
        return Language.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


#: argparse's own words (help headings, usage errors) in Chinese; argparse looks them up through ``gettext`` at
#: the moment it prints, so replacing its ``_`` is enough (Python 3.11–3.13 wording; unknown text stays as is).
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示程序版本并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少以下参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能和参数 %s 一起用",
    "one of the arguments %s is required": "需要以下参数之一：%s",
    "ignored explicit argument %r": "多余的值 %r 被忽略",
}


def _argparse_in_chinese() -> None:
    """Make argparse print its headings and errors in Chinese (the program's help texts already are)."""
    saved = getattr(argparse, "_pensiondesk_original_gettext", None) or argparse._  # type: ignore[attr-defined]
    original = cast("Callable[[str], str]", saved)
    argparse._pensiondesk_original_gettext = original  # type: ignore[attr-defined]

    def chinese(text: str) -> str:
        return _ARGPARSE_ZH.get(text) or original(text)

    argparse._ = chinese  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    _argparse_in_chinese()
    parser = argparse.ArgumentParser(
        prog="pensiondesk",
        description="城乡居保村级工作台。不带子命令时启动图形界面。",
    )
    parser.add_argument("--version", action="version", version=f"PensionDesk {__version__}", help="显示程序版本并退出")
    parser.add_argument("--db", metavar="PATH", help="数据库文件（默认：用户数据目录下的 pensiondesk.sqlite）")
    parser.add_argument("--demo", action="store_true", help="使用演示数据库（不存在时自动生成）")
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="登录的用户名（数据库有用户时需要；默认：环境变量 PENSIONDESK_USER）。"
        "密码取自环境变量 PENSIONDESK_PASSWORD，没有时提示输入",
    )
    parser.add_argument("--persons", type=_positive_int, default=2000, help=argparse.SUPPRESS)
    parser.add_argument(
        "--lang",
        type=_language,
        metavar="zh|en",
        help="界面语言，只管这一次（默认：设置页选的语言，或环境变量 PENSIONDESK_LANG）",
    )
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(title="子命令", metavar="COMMAND")

    def add(
        name: str, func: Callable[[argparse.Namespace], int], help_text: str, parent: Subparsers = sub
    ) -> argparse.ArgumentParser:
        return add_command(parent, name, func, help_text)

    add("gui", cmd_gui, "启动图形界面")
    p = add("demo", cmd_demo, "生成一个演示村的数据库（已加密；用户 demo 密码 demo）")
    p.add_argument("--persons", type=_positive_int, default=2000, help="人数（默认 2000）")
    p.add_argument("--seed", type=int, default=1, help="随机种子：同一种子生成同样的数据（默认 1）")

    id_sub = subgroup(sub, "id", "身份证号工具")
    p = add("check", cmd_id_check, "检查身份证号：校验码、出生日期、性别；15位转18位", id_sub)
    p.set_defaults(login=False)
    p.add_argument("numbers", nargs="*", metavar="NUMBER", help="身份证号；省略或写 - 时从标准输入逐行读取")

    db_sub = subgroup(sub, "db", "数据库维护")
    add("upgrade", cmd_db_upgrade, "升级数据库结构（升级前自动备份）", db_sub)
    add("info", cmd_db_info, "显示数据库信息", db_sub)

    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(sub)
    return parser


def add_command(
    parent: Subparsers, name: str, func: Callable[[argparse.Namespace], int], help_text: str
) -> argparse.ArgumentParser:
    """Register one subcommand: the pattern every command module follows."""
    p: argparse.ArgumentParser = parent.add_parser(name, help=help_text, description=help_text)
    p.set_defaults(func=func)
    return p


def subgroup(parent: Subparsers, name: str, help_text: str) -> Subparsers:
    """A command that only groups others (``pensiondesk import …``); reuses it when already registered."""
    existing = parent.choices.get(name)
    if existing is not None:
        return next(a for a in existing._actions if isinstance(a, argparse._SubParsersAction))
    group = parent.add_parser(name, help=help_text, description=help_text)
    return group.add_subparsers(title="子命令", metavar="COMMAND", required=True)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}")
    return value


def _log_internal_error(exc: BaseException) -> Path | None:
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "pensiondesk-errors.log"
        logging.basicConfig(filename=path, level=logging.ERROR, force=True)
        logging.getLogger("pensiondesk").error("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
        return path
    except OSError:
        return None


def read_secret(prompt: str, env_var: str, *, confirm: bool = False) -> str:
    """A password (or recovery key) from ``env_var``, else typed at a prompt that does not echo it."""
    value = os.environ.get(env_var)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise CliError(f"需要输入{prompt}，但现在不能提示输入：请把它放在环境变量 {env_var} 中。", EXIT_LOGIN)
    value = getpass.getpass(f"{prompt}：")
    if confirm and getpass.getpass(f"再输入一次{prompt}：") != value:
        raise CliError(f"两次输入的{prompt}不一样，什么也没有改。请重新运行。", EXIT_USAGE)
    return value


def log_in_if_needed(args: argparse.Namespace) -> None:
    """When the database has users, log in before the command runs (most commands read or write it).

    The user is ``--user`` or ``$PENSIONDESK_USER``; the password ``$PENSIONDESK_PASSWORD`` or a prompt. A database
    without users needs no login (the operator is then ``$PENSIONDESK_USER`` or ``coordinator``, as before).
    """
    if not getattr(args, "login", True) or args.func is cmd_gui:  # the GUI asks in its own login window
        return
    from pensiondesk.services.accounts import needs_login

    path = _db_path(args)
    if needs_login(path):
        log_in_to(path, args)


def log_in_to(path: Path, args: argparse.Namespace) -> None:
    """Log in to the database (or encrypted backup) at ``path`` as ``--user``; raises :class:`CliError` if refused."""
    from pensiondesk.services.accounts import AccountError, log_in, set_current_actor

    username = getattr(args, "user", None) or os.environ.get("PENSIONDESK_USER")
    if not username:
        raise CliError(
            f"数据库 {path} 需要登录：请用 --user 用户名 指定用户（或设置环境变量 PENSIONDESK_USER），"
            "密码在提示时输入或放在环境变量 PENSIONDESK_PASSWORD 中。",
            EXIT_LOGIN,
        )
    password = read_secret(f"用户 {username} 的密码", "PENSIONDESK_PASSWORD")
    try:
        set_current_actor(log_in(path, username, password))
    except AccountError as exc:
        raise CliError(exc.user_message, EXIT_LOGIN) from exc


def run(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the command; returns the exit code (never raises for expected failures)."""
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == ["_probe-sheet"]:  # the frozen program's child process for sheets/probe.py (no python -m)
        from pensiondesk.sheets.probe import main as probe_main

        return probe_main(words[1:])
    parser = build_parser()
    args = parser.parse_args(words)
    try:
        log_in_if_needed(args)
        return int(args.func(args))
    except CliError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``pensiondesk unpaid | head``): stop quietly, as other command-line tools do.
        # stdout is pointed at devnull so the interpreter's final flush does not complain again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        user_message = getattr(exc, "user_message", None)
        if isinstance(user_message, str):
            print(f"错误：{user_message}", file=sys.stderr)
            return EXIT_USAGE
        where = _log_internal_error(exc)
        hint = f"，详情已记录在 {where}" if where else ""
        print(f"内部错误：{type(exc).__name__}: {exc}{hint}", file=sys.stderr)
        return EXIT_INTERNAL


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())


if __name__ == "__main__":
    main()
