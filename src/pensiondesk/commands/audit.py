"""``pensiondesk audit verify``: check that the audit trail is whole (审计记录核验).

Exit code 0 and ``审计记录完整：共 N 条`` when every entry's hash links to the one before; 1 and the first broken
entry (number, time, operator, action) otherwise; 2 when the database cannot be read. The file is opened read-only.
"""

from __future__ import annotations

import argparse

from pensiondesk.cli import EXIT_INVALID, EXIT_OK, CliError, Subparsers, _db_path, add_command, subgroup


def register(sub: Subparsers) -> None:
    """Add the ``audit`` subcommands."""
    group = subgroup(sub, "audit", "审计记录（操作日志）")
    add_command(group, "verify", cmd_verify, "核验审计记录是否完整、未被改动或删除")


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify the hash chain and name the first broken entry."""
    from pensiondesk.services.audit import verify_audit_file

    path = _db_path(args)
    if not path.is_file():
        raise CliError(f"找不到数据库文件：{path}")
    check = verify_audit_file(path)
    print(check.message())
    return EXIT_OK if check.ok else EXIT_INVALID
