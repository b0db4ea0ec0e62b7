"""The recovery key sheet (恢复密钥单): one A4 page for the village safe (保险柜), printed once at setup.

The recovery key (from ``services.accounts.setup_first_user``) unwraps the database key when every password is
forgotten. The sheet shows it large, in groups, with what it is for, what to do with it and what not to do; the
village, the first administrator and the date say which laptop it belongs to. Nothing else of the village's
data is on it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import IO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph, Spacer

from pensiondesk.documents.base import (
    A4_PORTRAIT,
    PageFooter,
    TitleBlock,
    build_document,
    chinese_date,
    data_table,
    document_styles,
    escape_text,
    register_fonts,
)

__all__ = ["RecoveryKeySheet", "key_lines", "render_recovery_key"]

#: Characters of the key per printed line (in groups of :data:`GROUP`, as ``services.accounts`` writes it).
LINE_LENGTH = 15
GROUP = 5


@dataclass(frozen=True)
class RecoveryKeySheet:
    """What the sheet says besides the key: which village and laptop it is for, who set it up, when."""

    recovery_key: str
    village: str
    admin_username: str
    admin_display_name: str
    db_file: str
    printed_on: date


def key_lines(recovery_key: str) -> list[str]:
    """The key as printed: groups of five characters, three groups a line, so it is copied without losing place.

    A key that already has separators (``-`` or spaces) is re-grouped from its letters and digits alone.
    """
    plain = "".join(ch for ch in recovery_key if ch.isalnum())
    groups = [plain[i : i + GROUP] for i in range(0, len(plain), GROUP)]
    per_line = LINE_LENGTH // GROUP
    return [" - ".join(groups[i : i + per_line]) for i in range(0, len(groups), per_line)] or [recovery_key]


class _KeyBox(Flowable):
    """The key in a double frame, large, one line of groups under another."""

    def __init__(self, lines: list[str], size: float = 22) -> None:
        super().__init__()
        self.lines = lines
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = len(self.lines) * self.size * 1.7 + self.size * 1.4
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        font = register_fonts()
        canvas.saveState()
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(1.6)
        canvas.rect(0, 0, self.width, self.height)
        canvas.setLineWidth(0.5)
        canvas.rect(2 * mm, 2 * mm, self.width - 4 * mm, self.height - 4 * mm)
        canvas.setFont(font, self.size)
        y = self.height - self.size * 1.7
        for line in self.lines:
            width = pdfmetrics.stringWidth(line, font, self.size)
            canvas.drawString((self.width - width) / 2, y, line)
            y -= self.size * 1.7
        canvas.restoreState()


def render_recovery_key(out: str | os.PathLike[str] | IO[bytes], sheet: RecoveryKeySheet) -> int:
    """Write the recovery key sheet to ``out`` (a path or a binary file); returns the page count (1)."""
    styles = document_styles(13)
    rows = [
        ["本村", sheet.village],
        ["第一个管理员", f"{sheet.admin_display_name}（用户名 {sheet.admin_username}）"],
        ["数据库文件", sheet.db_file],
        ["设置日期", chinese_date(sheet.printed_on)],
    ]
    story: list[Flowable] = [
        TitleBlock("城乡居保村级工作台\n恢复密钥", styles, subtitle="请放入村委会保险柜，不要和电脑放在一起"),
        data_table(
            ["项目", "内容"], rows, styles, A4_PORTRAIT.frame_width, column_weights=[0.28, 0.72], left_columns=[1]
        ),
        Spacer(0, 8 * mm),
        _KeyBox(key_lines(sheet.recovery_key)),
        Spacer(0, 8 * mm),
        Paragraph("这把密钥有什么用", styles.heading),
        Paragraph(
            escape_text(
                "电脑里的数据是加密保存的。所有人都忘了密码时，用这把恢复密钥可以重新设置密码，数据一点也不会丢。"
                "做法：在登录窗口或“设置 → 用户和密码”中点“用恢复密钥重设密码”，照上面的字母和数字输入。"
            ),
            styles.body,
        ),
        Paragraph("请注意", styles.heading),
        Paragraph(escape_text("1. 本单只打印这一次，程序里再也看不到这把密钥。"), styles.plain),
        Paragraph(escape_text("2. 锁进村委会保险柜；不要贴在电脑上，不要拍照发到微信群。"), styles.plain),
        Paragraph(escape_text("3. 谁拿到它和这台电脑，谁就能看到全村的资料：像保管公章一样保管它。"), styles.plain),
        Paragraph(escape_text("4. 输入时大小写和分隔符“-”都不要紧。"), styles.plain),
    ]
    return build_document(
        out,
        story,
        A4_PORTRAIT,
        PageFooter(printed_on=sheet.printed_on, left_text=sheet.village),
        title="恢复密钥",
        author=sheet.village,
    )
