"""Starting the desktop program (启动图形界面).

:func:`run_gui` is what ``pensiondesk`` (no subcommand) calls: it makes the ``QApplication``, loads the
bundled Chinese font so every laptop shows the same glyphs whatever fonts Windows has, installs the
translations, routes unexpected errors to a log file instead of a traceback, opens the database (creating or
upgrading it, with a backup first) and shows :class:`~pensiondesk.gui.main_window.MainWindow`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pensiondesk import __version__
from pensiondesk.gui.errors import install_excepthook, show_store_error
from pensiondesk.gui.main_window import MainWindow
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QApplication,
    QCoreApplication,
    QFont,
    QFontDatabase,
    QLibraryInfo,
    QLocale,
    QProxyStyle,
    QSize,
    QStyle,
    QStyleOption,
    QStyleOptionMenuItem,
    Qt,
    QTimer,
    QTranslator,
    QWidget,
)

__all__ = [
    "BUNDLED_FONT",
    "DEFAULT_POINT_SIZE",
    "EXIT_DATABASE_ERROR",
    "apply_text_size",
    "build_main_window",
    "install_bundled_font",
    "install_translators",
    "run_gui",
]

if TYPE_CHECKING:
    from pensiondesk.services.settings import Language, TextSize
    from pensiondesk.store.db import Database

#: The CJK font shipped in ``resources/fonts`` (Apache-2.0): all of Simplified Chinese, on any Windows.
BUNDLED_FONT = "wqy-microhei.ttc"
#: Base font size: larger than the Windows default of 9 pt, so names and ID numbers read at a glance.
DEFAULT_POINT_SIZE = 12.0
#: Exit status when the database cannot be opened (the coordinator has been told why).
EXIT_DATABASE_ERROR = 1
#: How long after the window opens the day's automatic backup starts.
DAILY_BACKUP_DELAY_MS = 5_000

#: Where the program's own translations are, under ``resources/`` (``pensiondesk_en.ts`` and ``.qm``).
I18N_DIR = "i18n"
_installed_translators: list[QTranslator] = []

# Families registered per font file: Qt keeps application fonts for the life of the process.
_registered_families: dict[Path, str] = {}


def _resource(*parts: str) -> Path | None:
    """A path under ``resources/``, or ``None`` when this copy of the program has no resources directory."""
    from pensiondesk.resources import resource_path

    try:
        return resource_path(*parts)
    except FileNotFoundError:
        return None


class _RoomyMenuStyle(QProxyStyle):
    """The application's style with one character more room in each menu entry.

    Qt measures a menu entry's text without its mnemonic's underline run, and with the bundled CJK font the drawn
    text of an entry such as 使用手册(M)… beside a key (F1) came out a few pixels wider than measured, so Qt cut it
    short (“使用手…M)…”). The extra room is one CJK character wide, in every language.
    """

    def sizeFromContents(
        self, contents: QStyle.ContentsType, option: QStyleOption, size: QSize, /, widget: QWidget | None = None
    ) -> QSize:
        result = super().sizeFromContents(contents, option, size, widget)  # type: ignore[arg-type]  # None is Qt's
        if contents == QStyle.ContentsType.CT_MenuItem and isinstance(option, QStyleOptionMenuItem) and option.text:
            result.setWidth(result.width() + option.fontMetrics.horizontalAdvance("中"))
        return result


def _install_menu_style(app: QApplication) -> None:
    if not isinstance(app.style(), _RoomyMenuStyle):
        app.setStyle(_RoomyMenuStyle())


def install_bundled_font(app: QApplication, point_size: float = DEFAULT_POINT_SIZE) -> str | None:
    """Make the bundled CJK font the application font, at ``point_size``; returns its family.

    If the file is missing or Qt cannot read it, the system font stays (only the size changes) and ``None`` is
    returned: a laptop with Chinese Windows still shows everything, and nothing crashes.
    """
    font = QFont(app.font())
    family: str | None = None
    path = _resource("fonts", BUNDLED_FONT)
    if path is not None and path.is_file():
        family = _registered_families.get(path)
        if family is None:
            font_id = QFontDatabase.addApplicationFont(str(path))
            families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if families:
                family = _registered_families[path] = families[0]
    if family is not None:
        # The system families stay behind it for the rare character the bundled font lacks.
        font.setFamilies([family, *(f for f in font.families() if f != family)])
    font.setPointSizeF(point_size)
    app.setFont(font)
    _install_menu_style(app)
    return family


def apply_text_size(app: QApplication, size: TextSize) -> float:
    """Draw every text at the chosen size (字体大小: 标准/大/特大 × the default); returns the point size.

    Widgets without a font of their own follow the application font at once, so a change on the 设置 page shows
    without restarting.
    """
    point_size = DEFAULT_POINT_SIZE * size.scale
    install_bundled_font(app, point_size)
    return point_size


def install_translators(app: QApplication, language: Language | None = None) -> list[QTranslator]:
    """Install Qt's own translation (so 确定/取消 buttons match) and PensionDesk's, for ``language``.

    The source strings of the GUI are Simplified Chinese, so Chinese needs only Qt's ``qtbase_zh_CN.qm``;
    English loads ``resources/i18n/pensiondesk_en.qm`` (made by ``tools/update_translations.py``) and
    ``qtbase_en.qm``. Translators installed before (a language chosen earlier in this process) are removed.
    Returns the translators installed; they are children of ``app`` and live as long as it does.
    """
    from pensiondesk.services.settings import Language

    language = language or Language.CHINESE
    locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    if language is Language.ENGLISH:
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    QLocale.setDefault(locale)
    for previous in _installed_translators:
        app.removeTranslator(previous)
    _installed_translators.clear()
    qt_translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    sources = [(f"qtbase_{language.value}.qm", Path(qt_translations))]
    ours = _resource(I18N_DIR)
    if ours is not None and language is not Language.CHINESE:
        sources.append((f"pensiondesk_{language.value}.qm", ours))
    for name, directory in sources:
        translator = QTranslator(app)
        if translator.load(str(directory / name)):
            app.installTranslator(translator)
            _installed_translators.append(translator)
    return list(_installed_translators)


def build_main_window(session_factory: SessionFactory, db_path: Path) -> MainWindow:
    """The main window over an open database (``session_factory`` is ``Database.session``)."""
    return MainWindow(session_factory, db_path)


def show_fitted(window: MainWindow) -> None:
    """Show the window whole: maximised when the screen is smaller than its default size.

    Old village laptops often have 1366×768 screens, where a 1280×800 window would hide its status bar.
    """
    screen = window.screen()
    available = screen.availableGeometry() if screen is not None else None
    frame_margin = 40  # title bar and borders the window manager adds
    if available is not None and (
        available.width() < window.width() or available.height() < window.height() + frame_margin
    ):
        # Resize as well as maximise: without a window manager (or before it acts) the size still fits.
        window.resize(min(window.width(), available.width()), min(window.height(), available.height() - frame_margin))
        window.move(available.topLeft())
        window.showMaximized()
    else:
        window.show()


def _application(argv: Sequence[str] | None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    QCoreApplication.setOrganizationName("PensionDesk")
    QCoreApplication.setApplicationName("PensionDesk")
    QCoreApplication.setApplicationVersion(__version__)
    return app


def _start_idle_lock(app: QApplication, database: Database, window: MainWindow) -> None:
    """自动锁定 when the database needs a login; 切换用户 gives the new user a window of their own."""
    from pensiondesk.gui.idle_lock import start_idle_lock
    from pensiondesk.services.first_run import idle_lock_minutes

    with database.session() as session:
        minutes = idle_lock_minutes(session)
    windows = [window]

    def switched(_actor: object) -> None:
        old = windows[-1]
        new = build_main_window(database.session, database.path)
        new.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        show_fitted(new)
        windows.append(new)
        old.close()

    start_idle_lock(database.path, minutes, switched, app)


def run_gui(
    db_path: Path,
    *,
    argv: Sequence[str] | None = None,
    log_dir: Path | None = None,
    language: Language | None = None,
) -> int:
    """Run the desktop program on ``db_path`` until its window closes; returns the exit status.

    ``log_dir`` is where unexpected errors are logged (default: the per-user log directory). ``language``
    (``--lang``) overrides the one chosen on this computer (设置 → 界面语言) and ``PENSIONDESK_LANG``. A database
    the program cannot open is explained in a message box and gives :data:`EXIT_DATABASE_ERROR`.
    """
    from pensiondesk.gui.collector import pin_garbage_collection

    app = _application(argv)

    collector = pin_garbage_collection(app)  # cycles holding Qt widgets are freed in this thread, not a worker's
    try:
        return _run(app, Path(db_path), log_dir, language)
    finally:
        collector.stop()


def _run(app: QApplication, db_path: Path, log_dir: Path | None, language: Language | None) -> int:
    from pensiondesk.services.database import open_for_work
    from pensiondesk.services.settings import text_size, ui_language
    from pensiondesk.store.errors import StoreError

    install_excepthook(log_dir)
    apply_text_size(app, text_size())  # the size chosen on this computer (设置 → 字体大小), before any window
    install_translators(app, language or ui_language())  # before any window: texts are translated when made
    from pensiondesk.gui.login_dialog import log_in_for_gui

    if not log_in_for_gui(db_path):  # a database with users: 登录 first (services/accounts.py)
        return 0
    try:
        database = open_for_work(db_path)
    except StoreError as error:
        show_store_error(None, error)
        return EXIT_DATABASE_ERROR
    try:
        from pensiondesk.gui.setup_wizard import run_first_run_if_needed

        # A brand-new data folder: 首次使用设置向导 first (it may reopen the database, encrypted, for its first user).
        database = run_first_run_if_needed(database)
        window = build_main_window(database.session, database.path)
        # Deleted when closed, so that nothing tied to it (the day's backup below) runs after the program ended.
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        show_fitted(window)
        # Today's backup, once a day, off the GUI thread, a little after the window opens so it never slows the
        # start (services/backups.py, docs/backups.md).
        QTimer.singleShot(DAILY_BACKUP_DELAY_MS, window, window.start_daily_backup)
        _start_idle_lock(app, database, window)
        return app.exec()
    except StoreError as error:
        show_store_error(None, error)
        return EXIT_DATABASE_ERROR
    finally:
        database.close()
