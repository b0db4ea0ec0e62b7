"""Settings of this computer and facts about it (设置、本机信息).

Two kinds of settings live in different places, on purpose:

* **Per computer** (本机): the text size (字体大小) a coordinator with weaker eyes needs is a matter of the screen
  and the person in front of it, not of the village's data. It is kept in ``display.json`` in the data folder
  (:func:`pensiondesk.paths.data_dir`), is not synced, and is not audited.
* **Per database**: the receipt overlay (套打) offsets belong to the printer paper of the village, so they stay
  in the ``setting`` table and are changed through :func:`pensiondesk.services.receipts.set_overlay_offset`,
  which writes the audit entry.

:func:`machine_info` gathers what the 设置 page's 本机信息 shows: village, database file, folders, newest backups
and the policy pack in force.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from pensiondesk.paths import data_dir
from pensiondesk.services.people_types import ServiceError

if TYPE_CHECKING:  # the heavier services are imported when used: run_gui reads the text size before anything else
    from sqlalchemy.orm import Session

    from pensiondesk.services.backups import BackupInfo
    from pensiondesk.services.receipts import OverlayOffset

__all__ = [
    "DISPLAY_FILE",
    "LANGUAGE_ENV_VAR",
    "Language",
    "MachineInfo",
    "TextSize",
    "file_size_text",
    "machine_info",
    "printer_name",
    "save_printer_name",
    "save_text_size",
    "save_ui_language",
    "text_size",
    "ui_language",
    "write_overlay_test_page",
]

#: The per-computer display preferences, in the data folder: {"text_size": "large"}.
DISPLAY_FILE = "display.json"
#: How many of the newest backups 本机信息 lists.
NEWEST_BACKUPS = 5


class TextSize(StrEnum):
    """字体大小: how much larger than the standard size every text of the program is drawn."""

    STANDARD = "standard"
    LARGE = "large"
    EXTRA_LARGE = "extra_large"

    @property
    def scale(self) -> float:
        return {"standard": 1.0, "large": 1.2, "extra_large": 1.4}[self.value]

    @property
    def label(self) -> str:
        return {"standard": "标准", "large": "大", "extra_large": "特大"}[self.value]


#: Overrides the chosen language for one run (tests, screenshots): ``PENSIONDESK_LANG=en`` or ``zh``.
LANGUAGE_ENV_VAR = "PENSIONDESK_LANG"


class Language(StrEnum):
    """界面语言: the language of the program's own text (data such as names and policy packs stay as entered)."""

    CHINESE = "zh_CN"
    ENGLISH = "en"

    @property
    def label(self) -> str:
        """The name in its own language, so anyone can find theirs in the list."""
        return {"zh_CN": "简体中文", "en": "English"}[self.value]

    @classmethod
    def parse(cls, text: str) -> Language:
        """``zh``/``zh_CN``/``zh-CN``/``中文`` or ``en``/``en_US``/``English``; :class:`ValueError` otherwise."""
        key = text.strip().replace("-", "_").lower()
        if key in ("zh", "zh_cn", "cn", "chinese", "中文", "简体中文"):
            return cls.CHINESE
        if key in ("en", "en_us", "en_gb", "english", "英文", "英语"):
            return cls.ENGLISH
        raise ValueError(f"不认识的界面语言“{text}”：请写 zh（简体中文）或 en（English）")


def _display_file(folder: Path | None) -> Path:
    return (folder if folder is not None else data_dir()) / DISPLAY_FILE


def text_size(folder: Path | None = None) -> TextSize:
    """The text size chosen on this computer (标准 until one is chosen, or when the file cannot be read)."""
    try:
        stored = json.loads(_display_file(folder).read_text(encoding="utf-8"))
        return TextSize(stored.get("text_size", TextSize.STANDARD))
    except (OSError, ValueError, AttributeError):
        return TextSize.STANDARD  # a missing or damaged file must never stop the program from starting


def ui_language(folder: Path | None = None, *, override: str | None = None) -> Language:
    """The language of the program on this computer: ``override`` (``--lang``), else ``PENSIONDESK_LANG``, else
    the one chosen on the 设置 page, else Simplified Chinese. An unreadable file or value means Chinese."""
    for wanted in (override, os.environ.get(LANGUAGE_ENV_VAR)):
        if wanted:
            try:
                return Language.parse(wanted)
            except ValueError:
                pass  # a wrong variable must never stop the program; --lang is checked by the command line
    try:
        stored = json.loads(_display_file(folder).read_text(encoding="utf-8"))
        return Language(stored.get("language", Language.CHINESE))
    except (OSError, ValueError, AttributeError):
        return Language.CHINESE


def save_ui_language(language: Language, folder: Path | None = None) -> None:
    """Remember ``language`` on this computer (used from the next start); :class:`ServiceError` if not writable."""
    try:
        _save_display(folder, "language", language.value)
    except OSError as error:
        path = _display_file(folder)
        raise ServiceError(f"无法保存界面语言（{path}）：{error.strerror or error}") from None


def save_text_size(size: TextSize, folder: Path | None = None) -> None:
    """Remember ``size`` on this computer (``folder``: the data folder by default).

    Written to a temporary file and renamed, so a power cut leaves the old choice rather than half a file. Raises
    :class:`ServiceError` when the folder cannot be written.
    """
    try:
        _save_display(folder, "text_size", size.value)
    except OSError as error:
        path = _display_file(folder)
        raise ServiceError(f"无法保存字体大小（{path}）：{error.strerror or error}") from None


def printer_name(folder: Path | None = None) -> str | None:
    """The printer chosen on this computer (设置向导 → 打印机), or ``None``: the system's default printer."""
    try:
        stored = json.loads(_display_file(folder).read_text(encoding="utf-8"))
        name = stored.get("printer")
    except (OSError, ValueError, AttributeError):
        return None
    return name if isinstance(name, str) and name else None


def save_printer_name(name: str | None, folder: Path | None = None) -> None:
    """Remember the printer of this computer (``None``: the default one); per computer, like the text size."""
    try:
        _save_display(folder, "printer", name or "")
    except OSError as error:
        path = _display_file(folder)
        raise ServiceError(f"无法保存打印机的选择（{path}）：{error.strerror or error}") from None


def _save_display(folder: Path | None, key: str, value: str) -> None:
    """Set one key of ``display.json``, keeping the others (temporary file + rename: a power cut keeps the old)."""
    path = _display_file(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(stored, dict):
            stored = {}
    except (OSError, ValueError):
        stored = {}
    stored[key] = value
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(stored, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temporary, path)


def file_size_text(size: int) -> str:
    """``3.2 MB`` / ``640 KB``: a file size as a coordinator reads it."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(size, 1) / 1024:.0f} KB"


@dataclass(frozen=True)
class MachineInfo:
    """本机信息: what this computer holds and where."""

    village: str | None
    township: str | None
    db_path: Path
    db_size_bytes: int | None  # None: the file is not there (a database in memory, or removed meanwhile)
    data_folder: Path
    backup_folder: Path
    newest_backups: list[BackupInfo]
    backup_count: int
    policy_pack_id: str
    policy_pack_name: str
    policy_pack_version: int
    policy_pack_effective_from: date
    overlay: OverlayOffset

    @property
    def db_size_text(self) -> str:
        return file_size_text(self.db_size_bytes) if self.db_size_bytes is not None else "（文件不存在）"


def machine_info(session: Session, db_path: Path | str) -> MachineInfo:
    """Everything 本机信息 shows, read in one go (the backups from the folder, the rest from ``session``)."""
    from pensiondesk.services.backups import default_backup_dir, list_backups
    from pensiondesk.services.people import policy_pack_in_force
    from pensiondesk.services.receipts import overlay_offset
    from pensiondesk.services.roster import village_summary

    path = Path(db_path).expanduser().absolute()
    place = village_summary(session)
    pack = policy_pack_in_force(session)
    try:
        size: int | None = path.stat().st_size
    except OSError:
        size = None
    backups = list_backups(path)
    return MachineInfo(
        village=place[0] if place else None,
        township=place[1] if place else None,
        db_path=path,
        db_size_bytes=size,
        data_folder=data_dir(),
        backup_folder=default_backup_dir(path),
        newest_backups=backups[:NEWEST_BACKUPS],
        backup_count=len(backups),
        policy_pack_id=pack.id,
        policy_pack_name=pack.name,
        policy_pack_version=pack.version,
        policy_pack_effective_from=pack.effective_from,
        overlay=overlay_offset(session),
    )


def write_overlay_test_page(session: Session, out: Path) -> OverlayOffset:
    """Write the overlay calibration page (套打校准页) with the offsets in force to ``out``; returns them.

    The same page as ``pensiondesk print receipt-test``.
    """
    from pensiondesk.documents.receipt import render_overlay_test_page
    from pensiondesk.services.receipts import overlay_offset

    offset = overlay_offset(session)
    out.parent.mkdir(parents=True, exist_ok=True)
    render_overlay_test_page(out, offset)
    return offset
