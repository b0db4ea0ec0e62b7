"""设置 → 用户和密码 and 安全 on a real encrypted village database.

An administrator adds a user (who can then log in), disables and re-enables them (a disabled user cannot log in);
a reviewer does not see 添加用户/停用 and the service refuses them anyway; everyone changes their own password; a
forgotten password is reset with the recovery key; the idle-lock minutes are saved (audited) and reach the lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pensiondesk.domain.codes import UserRole
from pensiondesk.gui.idle_lock import active_lock, start_idle_lock
from pensiondesk.gui.settings_page import SettingsPage
from pensiondesk.gui.users_section import UsersBox
from pensiondesk.services import accounts
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.first_run import idle_lock_minutes
from pensiondesk.store import cipher
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import AuditEntry

pytestmark = pytest.mark.gui

ADMIN_PASSWORD = "hongqi-2027"
NEW_PASSWORD = "zhao-lu-ru-88"


@pytest.fixture
def village(tmp_path: Path) -> Iterator[tuple[Database, str]]:
    """An encrypted demo village with the administrator wangfang logged in; yields it and the recovery key."""
    path = tmp_path / "pensiondesk.sqlite"
    db = open_database(path)
    with db.session() as session:
        create_demo_village(session, persons=20, seed=5)
    db.close()
    key = accounts.setup_first_user(path, "wangfang", "王芳", ADMIN_PASSWORD)
    db, _admin = accounts.open_with_login(path, "wangfang", ADMIN_PASSWORD)
    yield db, key
    db.close()
    accounts.set_current_actor(None)
    cipher.forget_keys()


def _page(qtbot: QtBot, db: Database, tmp_path: Path) -> SettingsPage:
    page = SettingsPage(db.session, db.path, accounts.current_actor(), tmp_path / "printouts", display_folder=tmp_path)
    qtbot.addWidget(page)
    page.show()
    return page


def test_admin_adds_disables_and_enables_a_user(qtbot: QtBot, village: tuple[Database, str], tmp_path: Path) -> None:
    db, _key = village
    page = _page(qtbot, db, tmp_path)
    box = page.users_box
    assert box.add_button.isVisible() and box.active_button.isVisible()
    assert [u.username for u in box.users] == ["wangfang"]
    assert box.table.item(0, 2).text() == "管理员" and box.table.item(0, 3).text() == "在用"

    dialog = box.open_add_user(show=False)
    dialog.username_edit.setText("zhaolu")
    dialog.display_edit.setText("赵路")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(UserRole.COORDINATOR))
    dialog.password_edit.setText(NEW_PASSWORD)
    dialog.again_edit.setText("something-else")
    dialog._submit()
    assert "两次输入的新密码不一样" in dialog.problem_label.text() and dialog.result() != dialog.DialogCode.Accepted
    dialog.again_edit.setText(NEW_PASSWORD)
    dialog.password_edit.setText("1234")
    dialog.again_edit.setText("1234")
    dialog._submit()
    assert "密码太短" in dialog.problem_label.text()
    dialog.password_edit.setText(NEW_PASSWORD)
    dialog.again_edit.setText(NEW_PASSWORD)
    dialog._submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert "已添加用户 zhaolu（赵路，录入/初审员）" in page.message_label.text()
    row = next(i for i, u in enumerate(box.users) if u.username == "zhaolu")
    assert box.table.item(row, 2).text() == "录入/初审员"
    assert accounts.verify_password(db.path, "zhaolu", NEW_PASSWORD).role is UserRole.COORDINATOR

    # 停用: the user cannot log in any more; 启用 again.
    assert box.select("zhaolu") and box.active_button.text() == "停用(&Y)"
    assert box.toggle_selected()
    assert box.table.item(box.table.currentRow(), 3).text() == "已停用"
    with pytest.raises(accounts.LoginFailed, match="已停用"):
        accounts.verify_password(db.path, "zhaolu", NEW_PASSWORD)
    assert box.active_button.text() == "启用(&Y)"
    assert box.toggle_selected()
    accounts.verify_password(db.path, "zhaolu", NEW_PASSWORD)
    # One's own account cannot be disabled: said, not done.
    box.select("wangfang")
    assert not box.toggle_selected()
    assert "不能停用自己" in page.message_label.text()
    with db.session() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "app_user")).all()
    assert actions.count("user.disable") == 1 and actions.count("user.enable") == 1


def test_a_reviewer_sees_no_add_or_disable_and_changes_only_their_own_password(
    qtbot: QtBot, village: tuple[Database, str], tmp_path: Path
) -> None:
    db, _key = village
    admin = accounts.current_actor()
    accounts.add_user(db, admin, "lihua", "李华", UserRole.REVIEWER, NEW_PASSWORD)
    reviewer = accounts.verify_password(db.path, "lihua", NEW_PASSWORD)
    accounts.set_current_actor(reviewer)
    page = _page(qtbot, db, tmp_path)
    box = page.users_box
    assert not box.add_button.isVisible() and not box.active_button.isVisible()
    assert box.password_button.isVisible() and box.recovery_button.isVisible()
    assert "添加或停用用户请找管理员" in box.note_label.text()
    # The service refuses them all the same.
    with pytest.raises(accounts.PermissionDenied):
        accounts.set_active(db, reviewer, "wangfang", False)

    dialog = box.open_change_password(show=False)
    dialog.old_edit.setText("not-my-password")
    dialog.new_edit.setText("lihua-new-2027")
    dialog.again_edit.setText("lihua-new-2027")
    dialog._submit()
    assert "用户名或密码不对" in dialog.problem_label.text()
    dialog.old_edit.setText(NEW_PASSWORD)
    dialog._submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert "密码已修改" in page.message_label.text()
    accounts.verify_password(db.path, "lihua", "lihua-new-2027")
    with pytest.raises(accounts.LoginFailed):
        accounts.verify_password(db.path, "lihua", NEW_PASSWORD)


def test_forgotten_password_reset_with_the_recovery_key(
    qtbot: QtBot, village: tuple[Database, str], tmp_path: Path
) -> None:
    db, key = village
    box = UsersBox(db.session, db.path, accounts.current_actor())
    qtbot.addWidget(box)
    dialog = box.open_recovery_reset(show=False)
    dialog.key_edit.setText("AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF")
    dialog.username_edit.setText("wangfang")
    dialog.new_edit.setText("forgot-it-2028")
    dialog.again_edit.setText("forgot-it-2028")
    dialog._submit()
    assert "恢复密钥不对" in dialog.problem_label.text()
    dialog.key_edit.setText(key.lower().replace("-", " "))  # as copied from the sheet: case and spaces do not matter
    dialog._submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    accounts.verify_password(db.path, "wangfang", "forgot-it-2028")
    with pytest.raises(accounts.LoginFailed):
        accounts.verify_password(db.path, "wangfang", ADMIN_PASSWORD)


def test_idle_lock_minutes_are_saved_and_reach_the_running_lock(
    qtbot: QtBot, village: tuple[Database, str], tmp_path: Path
) -> None:
    db, _key = village
    lock = start_idle_lock(db.path, 10)
    assert lock is not None and active_lock() is lock and lock.timeout_ms == 600_000
    page = _page(qtbot, db, tmp_path)
    security = page.security_box
    assert security.minutes_box.value() == 10
    security.minutes_box.setValue(3)
    assert security.save_minutes()
    assert "3 分钟后自动锁定" in page.message_label.text()
    assert lock.timeout_ms == 180_000
    with db.session() as session:
        assert idle_lock_minutes(session) == 3
        assert session.scalar(select(AuditEntry.user).where(AuditEntry.action == "setting.idle_lock")) == "wangfang"
    lock.stop()


def test_rerun_wizard_from_settings_points_to_the_users_section(
    qtbot: QtBot, village: tuple[Database, str], tmp_path: Path
) -> None:
    from pensiondesk.gui.setup_wizard import PAGE_PRINTER, PAGE_USERS_EXIST

    db, _key = village
    page = _page(qtbot, db, tmp_path)
    wizard = page.security_box.open_wizard(show=False)
    wizard.show()
    wizard.next()
    assert wizard.village_page.keep_radio.isChecked()
    wizard.next()
    assert wizard.currentId() == PAGE_USERS_EXIST
    wizard.next()
    assert wizard.currentId() == PAGE_PRINTER
    wizard.reject()
