"""``pensiondesk backup …``: make, list and restore backups of the village database (备份与恢复).

``backup create [--to DIR]`` backs up into ``backups/`` next to the database, or into DIR (a USB stick: 导出到U盘).
``backup list [--dir DIR]`` lists the backups, newest first. ``backup restore FILE [--yes]`` checks the backup
(integrity, audit chain, version), says what the restore would lose and, when changes the county has not accepted
would be lost, stops with exit code 1 unless ``--yes`` is given. Exit code 2: the backup or the database cannot be
used (the message says why); nothing was changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pensiondesk.cli import EXIT_INVALID, EXIT_OK, CliError, Subparsers, _db_path, add_command, subgroup


def register(sub: Subparsers) -> None:
    """Add the ``backup`` subcommands."""
    group = subgroup(sub, "backup", "数据库备份与恢复")
    p = add_command(group, "create", cmd_create, "立即备份数据库；用 --to 备份到指定文件夹（例如U盘）")
    p.add_argument("--to", metavar="DIR", help="备份到这个文件夹（默认：数据库旁边的 backups 文件夹）")
    p = add_command(group, "list", cmd_list, "列出备份（最新的在前）")
    p.add_argument("--dir", metavar="DIR", help="列出这个文件夹里的备份（默认：数据库旁边的 backups 文件夹）")
    p = add_command(group, "restore", cmd_restore, "用备份恢复数据库：先检查备份，恢复前自动备份当前数据库")
    p.add_argument("file", metavar="FILE", help="备份文件")
    p.add_argument("--yes", action="store_true", help="确认放弃当前数据库中尚未上传到县里的修改")


def _existing_db(args: argparse.Namespace) -> Path:
    path = _db_path(args)
    if not path.is_file():
        raise CliError(f"找不到数据库文件：{path}")
    return path


def cmd_create(args: argparse.Namespace) -> int:
    """Back up now."""
    from pensiondesk.services.backups import create_backup

    info = create_backup(_existing_db(args), args.to)
    print(f"已备份：{info.path}\n大小：{info.size_text}；备份文件检查通过")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    """The backups, newest first."""
    from pensiondesk.services.backups import default_backup_dir, list_backups

    path = _db_path(args)
    folder = Path(args.dir).expanduser().absolute() if args.dir else default_backup_dir(path)
    backups = list_backups(path, folder)
    if not backups:
        print(f"还没有备份（备份文件夹：{folder}）")
        return EXIT_OK
    print(f"备份文件夹：{folder}，共 {len(backups)} 个备份")
    for info in backups:
        print(f"{info.created:%Y-%m-%d %H:%M:%S}\t{info.kind.label}\t{info.size_text}\t{info.path.name}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Check the backup, show what would be lost, then restore (or stop and ask for --yes)."""
    from pensiondesk.cli import log_in_to
    from pensiondesk.services.backups import plan_restore, restore_backup
    from pensiondesk.store import cipher

    db_path = _db_path(args)
    backup = Path(args.file).expanduser().absolute()
    if cipher.is_encrypted_file(backup) and cipher.key_for(backup) is None:
        # An encrypted backup of another (or a lost) database: log in with a user of the time the backup was made.
        log_in_to(backup, args)
    plan = plan_restore(backup, db_path)
    for line in plan.lines():
        print(line)
    if plan.needs_consent and not args.yes:
        print(
            "恢复未进行，当前数据库未做任何改动。请先同步（pensiondesk sync run）或导出待上传数据"
            "（pensiondesk sync export）；如确认要放弃这些修改，请加 --yes 重新运行。",
            file=sys.stderr,
        )
        return EXIT_INVALID
    report = restore_backup(plan.backup.path, db_path, accept_loss=args.yes)
    for line in report.lines():
        print(line)
    return EXIT_OK if report.integrity == "ok" else EXIT_INVALID
