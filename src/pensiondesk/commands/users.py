"""``pensiondesk user …``: the users of this laptop's database (操作员账号).

``user setup NAME --name 姓名`` makes the first administrator of a database without users and encrypts it (prints the
recovery key once). ``user add NAME --name 姓名 --role coordinator|reviewer|admin``, ``user disable|enable NAME``,
``user reset NAME`` (a new password for someone else) need an administrator logged in (``--user``).
``user list`` lists them. ``user passwd`` changes one's own password (old from ``PENSIONDESK_PASSWORD`` or a prompt).
``user recover NAME`` sets a new password with the recovery key (``PENSIONDESK_RECOVERY_KEY`` or a prompt).
New passwords come from ``PENSIONDESK_NEW_PASSWORD`` or are typed twice at a prompt. Exit codes: 0 done; 2 the
request cannot be done (the message says why); 3 the login or the recovery key was wrong.
"""

from __future__ import annotations

import argparse
import os

from pensiondesk.cli import EXIT_LOGIN, EXIT_OK, CliError, Subparsers, _db_path, add_command, read_secret, subgroup

_ROLES = {"coordinator": "协办员（录入、初审）", "reviewer": "复核", "admin": "管理员"}


def register(sub: Subparsers) -> None:
    """Add the ``user`` subcommands."""
    group = subgroup(sub, "user", "用户（操作员）管理：登录、角色、密码")
    p = add_command(group, "setup", cmd_setup, "为还没有用户的数据库设置第一个管理员，并加密数据库")
    p.add_argument("username", metavar="NAME", help="用户名（英文字母、数字，例如 zhangsan）")
    p.add_argument("--name", required=True, help="姓名（例如 张明）")
    p.set_defaults(login=False)
    p = add_command(group, "add", cmd_add, "添加用户（需管理员登录）")
    p.add_argument("username", metavar="NAME", help="用户名（英文字母、数字，例如 lihua）")
    p.add_argument("--name", required=True, help="姓名（例如 李华）")
    p.add_argument("--role", choices=sorted(_ROLES), default="coordinator", help="角色（默认 coordinator 协办员）")
    add_command(group, "list", cmd_list, "列出用户")
    p = add_command(group, "disable", cmd_disable, "停用用户（需管理员登录）")
    p.add_argument("username", metavar="NAME")
    p = add_command(group, "enable", cmd_enable, "重新启用用户（需管理员登录）")
    p.add_argument("username", metavar="NAME")
    p = add_command(group, "reset", cmd_reset, "为别的用户重设密码（需管理员登录）")
    p.add_argument("username", metavar="NAME")
    p = add_command(group, "passwd", cmd_passwd, "修改自己的密码（--user 指定自己）")
    p.set_defaults(login=False)
    p = add_command(group, "recover", cmd_recover, "忘记密码：用恢复密钥为用户设置新密码")
    p.add_argument("username", metavar="NAME")
    p.set_defaults(login=False)


def _new_password() -> str:
    return read_secret("新密码", "PENSIONDESK_NEW_PASSWORD", confirm=True)


def _account_errors() -> tuple[type[Exception], ...]:
    from pensiondesk.services.accounts import AccountError

    return (AccountError,)


def _fail(exc: Exception) -> CliError:
    from pensiondesk.services.accounts import LoginFailed

    message = getattr(exc, "user_message", str(exc))
    return CliError(message, EXIT_LOGIN if isinstance(exc, LoginFailed) else 2)


def cmd_setup(args: argparse.Namespace) -> int:
    """The first administrator; prints the recovery key once."""
    from pensiondesk.services.accounts import setup_first_user

    path = _db_path(args)
    password = _new_password()
    try:
        recovery = setup_first_user(path, args.username, args.name, password)
    except _account_errors() as exc:
        raise _fail(exc) from exc
    print(f"已设置管理员 {args.username}，数据库已加密：{path}")
    print(f"恢复密钥（只显示这一次，请抄下来放进村里的保险柜；忘记密码时用它重设）：\n\n    {recovery}\n")
    return EXIT_OK


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from pensiondesk.services.database import open_for_work

    path = _db_path(args)
    if not path.is_file():
        raise CliError(f"找不到数据库文件：{path}")
    return open_for_work(path)


def cmd_add(args: argparse.Namespace) -> int:
    from pensiondesk.domain.codes import UserRole
    from pensiondesk.services.accounts import add_user, current_actor

    db = _open(args)
    try:
        password = _new_password()
        info = add_user(db, current_actor(), args.username, args.name, UserRole(args.role), password)
    except _account_errors() as exc:
        raise _fail(exc) from exc
    finally:
        db.close()
    print(f"已添加用户 {info.username}（{info.display_name}，{info.role_label}）")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from pensiondesk.services.accounts import list_users

    db = _open(args)
    try:
        users = list_users(db)
    finally:
        db.close()
    if not users:
        print("这个数据库还没有用户（不需要登录）。用 pensiondesk user setup 设置第一个管理员。")
        return EXIT_OK
    for u in users:
        state = "在用" if u.active else "已停用"
        print(f"{u.username}\t{u.display_name}\t{u.role_label}\t{state}")
    return EXIT_OK


def _set_active(args: argparse.Namespace, active: bool) -> int:
    from pensiondesk.services.accounts import current_actor, set_active

    db = _open(args)
    try:
        set_active(db, current_actor(), args.username, active)
    except _account_errors() as exc:
        raise _fail(exc) from exc
    finally:
        db.close()
    print(f"已{'启用' if active else '停用'}用户 {args.username}")
    return EXIT_OK


def cmd_disable(args: argparse.Namespace) -> int:
    return _set_active(args, False)


def cmd_enable(args: argparse.Namespace) -> int:
    return _set_active(args, True)


def cmd_reset(args: argparse.Namespace) -> int:
    from pensiondesk.services.accounts import current_actor, reset_password

    db = _open(args)
    try:
        reset_password(db, current_actor(), args.username, _new_password())
    except _account_errors() as exc:
        raise _fail(exc) from exc
    finally:
        db.close()
    print(f"已为用户 {args.username} 设置新密码")
    return EXIT_OK


def cmd_passwd(args: argparse.Namespace) -> int:
    from pensiondesk.services.accounts import change_password

    path = _db_path(args)
    username = args.user or os.environ.get("PENSIONDESK_USER")
    if not username:
        raise CliError("请用 --user 用户名 指定要修改密码的用户（即您自己）。")
    old = read_secret(f"用户 {username} 现在的密码", "PENSIONDESK_PASSWORD")
    try:
        change_password(path, username, old, _new_password())
    except _account_errors() as exc:
        raise _fail(exc) from exc
    print(f"用户 {username} 的密码已修改；数据库本身没有重新加密，其他用户和恢复密钥不受影响")
    return EXIT_OK


def cmd_recover(args: argparse.Namespace) -> int:
    from pensiondesk.services.accounts import recover_key, reset_password_with_recovery

    path = _db_path(args)
    if not path.is_file():
        raise CliError(f"找不到数据库文件：{path}")
    recovery = read_secret("恢复密钥", "PENSIONDESK_RECOVERY_KEY")
    try:
        recover_key(path, recovery)  # a wrong key is said before the new password is asked for
        reset_password_with_recovery(path, recovery, args.username, _new_password())
    except _account_errors() as exc:
        raise _fail(exc) from exc
    print(f"已用恢复密钥为用户 {args.username} 设置新密码，请用新密码登录")
    return EXIT_OK
