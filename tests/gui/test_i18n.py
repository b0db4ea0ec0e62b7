"""Languages of the interface (界面语言): the English translation is complete, correct and loaded; Chinese is pure.

* every message of ``resources/i18n/pensiondesk_en.ts`` is translated and keeps its placeholders and mnemonic;
* the ``.ts`` covers the current source: ``pyside6-lupdate`` run now finds no string without a translation
  (after adding text to the GUI, run ``tools/update_translations.py`` and translate what it lists);
* the main window, every page, in English: no chrome text (labels, buttons, actions, group boxes, tabs, headers,
  placeholders) has Chinese characters left; in Chinese: no English word except acronyms and names.

Data stays as entered (names, village groups, policy packs, domain messages): the database used has no persons,
and the contents of combo boxes and table cells are not walked.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest
from PySide6.QtWidgets import QAbstractButton, QMenu
from pytestqt.qtbot import QtBot

from pensiondesk.gui.app import build_main_window, install_bundled_font, install_translators
from pensiondesk.gui.main_window import MainWindow
from pensiondesk.gui.qt import (
    QAction,
    QApplication,
    QCoreApplication,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    Qt,
    QTabWidget,
    QWidget,
)
from pensiondesk.resources import load_default_policy_pack
from pensiondesk.services.settings import Language, save_ui_language, ui_language

from .conftest import make_village_db

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
TS_FILE = ROOT / "resources" / "i18n" / "pensiondesk_en.ts"
QM_FILE = TS_FILE.with_suffix(".qm")

# %s %d %n %1 %.2f %% and {name}: what a translation must carry over unchanged.
PLACEHOLDER = re.compile(r"%(?:\d+|[sdn%]|\.\d+f)|\{[a-z_]+\}")
# A mnemonic is a single & before a character; && is a literal ampersand.
MNEMONIC = re.compile(r"(?<!&)&(?!&)(?=\S)")
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
WORD = re.compile(r"[A-Za-z]{2,}")
# English a Chinese screen may show: acronyms, key names, file types, and the names of languages and the font.
ALLOWED_IN_CHINESE = {
    "PDF", "USB", "Excel", "ID", "QR", "A4", "A5", "WPS", "LibreOffice", "csv", "xlsx", "xls", "xlsm", "ods",
    "json", "jpg", "jpeg", "png", "tif", "bmp", "pdf", "Ctrl", "Alt", "Shift", "Enter", "Esc", "Tab", "English",
    "WenQuanYi", "Micro", "Hei", "Apache", "License", "docs", "zsf", "MB", "KB", "PensionDesk", "HQ",
}  # fmt: skip
URL = re.compile(r"https?://\S+")
# An amount in words (大写, 零元整) is how receipts and forms state money in China, in either language.
AMOUNT_IN_WORDS = re.compile(r"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]{2,}")
# The language buttons name each language in itself, so anyone finds theirs.
LANGUAGE_NAMES = {"简体中文", "English"}


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_translations", ROOT / "tools" / "update_translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


def _messages() -> list[tuple[str, ET.Element]]:
    return tool.messages(TS_FILE)


# --- the .ts file ----------------------------------------------------------------------------------------------


def test_the_translation_file_and_its_compiled_form_are_shipped() -> None:
    assert len(_messages()) > 500
    assert QM_FILE.is_file()
    assert QM_FILE.stat().st_mtime >= TS_FILE.stat().st_mtime - 5, "run tools/update_translations.py to recompile"


def test_every_message_is_translated_with_its_placeholders_and_one_mnemonic_at_most() -> None:
    problems = []
    for context, message in _messages():
        source = message.findtext("source") or ""
        where = f"[{context}] {source!r}"
        if not tool.is_finished(message):
            problems.append(f"{where}: not translated")
            continue
        for text in tool.translations(message):
            if Counter(PLACEHOLDER.findall(text)) != Counter(PLACEHOLDER.findall(source)):
                problems.append(f"{where}: placeholders differ in {text!r}")
            mnemonics = len(MNEMONIC.findall(text))
            if mnemonics > 1:
                problems.append(f"{where}: {mnemonics} mnemonics in {text!r}")
            if MNEMONIC.search(source) and not mnemonics:
                problems.append(f"{where}: the mnemonic was lost in {text!r}")
            if CJK.search(re.sub(r"“[^”]*”", "", text)):  # a quoted Chinese column name (“姓名”) is meant
                problems.append(f"{where}: Chinese left in {text!r}")
    assert not problems, "\n".join(problems)


def test_the_translation_covers_every_string_in_the_source_now(tmp_path: Path) -> None:
    """lupdate over today's source into a copy of the .ts: anything new shows up as unfinished."""
    copy = tmp_path / TS_FILE.name
    shutil.copy(TS_FILE, copy)
    tool.lupdate(copy)
    missing = tool.unfinished(copy)
    listing = "\n".join(f"  [{context}] {source!r}" for context, sources in missing.items() for source in sources)
    assert not missing, f"untranslated strings; run tools/update_translations.py and translate:\n{listing}"


def test_headings_and_list_names_from_outside_the_gui_are_marked_for_translation() -> None:
    """Labels the services and documents supply, shown as column headings or list names, are in the catalogues."""
    from pensiondesk.documents.estimate import ESTIMATE_HEADER
    from pensiondesk.gui.reports_page import _LIST_NAMES
    from pensiondesk.gui.table_headers import HEADINGS
    from pensiondesk.services.progress import Measure

    shown = {*ESTIMATE_HEADER, *(m.label for m in Measure), *(m.numerator_label for m in Measure)}
    shown |= {m.denominator_label for m in Measure}
    assert shown <= set(HEADINGS)
    assert {m.missing_label for m in Measure} <= set(_LIST_NAMES)


# --- the language chosen on this computer -----------------------------------------------------------------------


def test_the_language_is_remembered_per_computer_and_can_be_overridden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PENSIONDESK_LANG", raising=False)
    assert ui_language(tmp_path) is Language.CHINESE
    save_ui_language(Language.ENGLISH, tmp_path)
    assert ui_language(tmp_path) is Language.ENGLISH
    assert ui_language(tmp_path, override="zh") is Language.CHINESE
    monkeypatch.setenv("PENSIONDESK_LANG", "zh_CN")
    assert ui_language(tmp_path) is Language.CHINESE
    monkeypatch.setenv("PENSIONDESK_LANG", "klingon")  # a wrong variable never stops the program
    assert ui_language(tmp_path) is Language.ENGLISH


def test_the_command_line_picks_the_language_for_one_run(capsys: pytest.CaptureFixture[str]) -> None:
    from pensiondesk.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["--lang", "en"]).lang is Language.ENGLISH
    assert parser.parse_args(["--lang", "zh"]).lang is Language.CHINESE
    assert parser.parse_args([]).lang is None  # the computer's own choice
    with pytest.raises(SystemExit):
        parser.parse_args(["--lang", "fr"])
    assert "zh（简体中文）或 en（English）" in capsys.readouterr().err


# --- the window in each language --------------------------------------------------------------------------------


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    install_translators(qapp, Language.ENGLISH)
    yield
    install_translators(qapp, Language.CHINESE)


def _walk_window(qtbot: QtBot, win: MainWindow) -> list[tuple[str, str]]:
    """``(where, text)`` of every piece of chrome text of every page of ``win`` and of its menus."""
    texts: list[tuple[str, str]] = [("window title", win.windowTitle())]
    for index in range(len(win.pages)):
        win.show_page(index)
        qtbot.wait(10)
    for row in range(win.navigation.count()):
        texts.append(("navigation", win.navigation.item(row).text()))
    texts += _chrome_texts(win)
    for menu in win.menuBar().findChildren(QMenu):
        texts.append(("menu", menu.title()))
        texts += [("menu item", action.text()) for action in menu.actions()]
    for action in win.findChildren(QAction):
        texts.append(("action", action.text()))
    return [(where, text) for where, text in texts if text]


def _chrome_texts(root: QWidget) -> list[tuple[str, str]]:
    """``(where, text)`` of the labels, buttons, group boxes, tabs, placeholders, tooltips, headings and actions
    of ``root`` and everything in it (not the contents of lists, combo boxes and table cells: data)."""
    texts: list[tuple[str, str]] = [("window title", root.windowTitle())]
    widgets: list[QWidget] = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        name = f"{type(widget).__name__} {widget.objectName()!r}"
        if isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.RichText:
            texts.append((name, widget.text()))
        elif isinstance(widget, QLabel):
            texts.append((name, re.sub(r"<[^>]+>", "", widget.text())))
        if isinstance(widget, QAbstractButton):
            texts.append((name, widget.text()))
        if isinstance(widget, QGroupBox):
            texts.append((name, widget.title()))
        if isinstance(widget, QTabWidget):
            texts += [(name, widget.tabText(i)) for i in range(widget.count())]
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            texts.append((name + " placeholder", widget.placeholderText()))
        texts.append((name + " tooltip", widget.toolTip()))
        if isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal:
            model = widget.model()
            for column in range(widget.count() if model is not None else 0):
                header = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
                texts.append((name + " header", str(header or "")))
        for action in widget.actions():
            texts.append((f"action in {name}", action.text()))
            texts.append((f"action tooltip in {name}", action.toolTip()))
    return texts


def _window(qtbot: QtBot, qapp: QApplication, tmp_path: Path) -> MainWindow:
    install_bundled_font(qapp)
    db = make_village_db(tmp_path / "village.db")  # no persons: nothing on screen is a resident's data
    win = build_main_window(db.session_factory, db.path)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_in_english_no_chinese_is_left_on_any_page(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, english: None
) -> None:
    assert QCoreApplication.translate("MainWindow", "设置") == "Settings"
    win = _window(qtbot, qapp, tmp_path)
    chinese = [f"{where}: {text!r}" for where, text in _walk_window(qtbot, win) if CJK.search(_without_data(text))]
    assert not chinese, "Chinese left in the English interface:\n" + "\n".join(sorted(set(chinese)))
    # Every page has been shown: the longer English words still fit an old 1366-pixel laptop screen.
    assert win.minimumSizeHint().width() <= 1366


def _dialogs(qtbot: QtBot, qapp: QApplication, tmp_path: Path) -> list[QWidget]:
    """The main dialogs, shown: new person, import wizard, death report, enrolment, audit log."""
    from datetime import date

    from pensiondesk.gui.audit_viewer import AuditLogDialog
    from pensiondesk.gui.import_wizard import ImportWizard
    from pensiondesk.gui.pensioners_page import DeathReportDialog
    from pensiondesk.gui.person_form import PersonForm
    from pensiondesk.gui.sync_page import EnrolDialog

    install_bundled_font(qapp)
    db = make_village_db(tmp_path / "village.db")
    holder = QWidget()
    qtbot.addWidget(holder)
    dialogs: list[QWidget] = [
        PersonForm(db.session_factory),
        ImportWizard(db.session_factory),
        DeathReportDialog(holder, date(2026, 6, 1)),
        EnrolDialog(),
        AuditLogDialog(db.session_factory, db.path),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
    return [*dialogs, holder]  # the holder too: the death report dialog lives as long as its parent


def test_in_english_the_dialogs_have_no_chinese_left(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, english: None
) -> None:
    chinese = [
        f"{type(dialog).__name__} {where}: {text!r}"
        for dialog in _dialogs(qtbot, qapp, tmp_path)
        for where, text in _chrome_texts(dialog)
        if CJK.search(_without_data(text))
    ]
    assert not chinese, "Chinese left in the English dialogs:\n" + "\n".join(sorted(set(chinese)))


def test_in_chinese_the_dialogs_have_no_english_word(qtbot: QtBot, qapp: QApplication, tmp_path: Path) -> None:
    install_translators(qapp, Language.CHINESE)
    english_words = [
        f"{type(dialog).__name__} {found}"
        for dialog in _dialogs(qtbot, qapp, tmp_path)
        for found in _english_words(_chrome_texts(dialog), tmp_path)
    ]
    assert not english_words, "English in the Chinese dialogs:\n" + "\n".join(sorted(set(english_words)))


def test_in_english_every_menu_keeps_its_alt_keys_distinct_and_shows_its_shortcuts(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, english: None
) -> None:
    win = _window(qtbot, qapp, tmp_path)
    titles = [action.text() for action in win.menuBar().actions()]
    assert titles[0] == "&File" and "&Help" in titles
    _assert_distinct_mnemonics("menu bar", titles)
    shortcuts = 0
    for menu in win.menuBar().findChildren(QMenu):
        _assert_distinct_mnemonics(menu.title(), [action.text() for action in menu.actions()])
        shortcuts += sum(not action.shortcut().isEmpty() for action in menu.actions())
    assert shortcuts >= 7  # Alt+1…7 for the pages at least, shown beside the items in either language
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"  # Qt's own buttons in English


def _assert_distinct_mnemonics(where: str, texts: list[str]) -> None:
    letters = [MNEMONIC.split(text, maxsplit=1)[1][0].lower() for text in texts if MNEMONIC.search(text)]
    repeated = {letter for letter in letters if letters.count(letter) > 1}
    assert not repeated, f"{where}: Alt+{', Alt+'.join(sorted(repeated))} used twice in {texts}"


def test_the_settings_page_remembers_english_for_the_next_start(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PENSIONDESK_LANG", raising=False)
    win = _window(qtbot, qapp, tmp_path)
    win.show_page(len(win.pages) - 1)
    page = win.pages[-1]
    english_button = page.findChild(QRadioButton, "language_en")
    chinese_button = page.findChild(QRadioButton, "language_zh_CN")
    message_label = page.findChild(QLabel, "settingsMessage")
    assert english_button is not None and chinese_button is not None and message_label is not None
    assert chinese_button.isChecked() and not english_button.isChecked()
    english_button.click()
    assert ui_language() is Language.ENGLISH
    message = message_label.text()
    assert "English" in message and "重启程序后生效" in message
    assert QCoreApplication.translate("MainWindow", "设置") == "设置"  # this run stays Chinese until restarted
    chinese_button.click()
    assert ui_language() is Language.CHINESE


def test_in_chinese_no_english_word_shows(qtbot: QtBot, qapp: QApplication, tmp_path: Path) -> None:
    install_translators(qapp, Language.CHINESE)
    win = _window(qtbot, qapp, tmp_path)
    english_words = _english_words(_walk_window(qtbot, win), tmp_path)
    assert not english_words, "English in the Chinese interface:\n" + "\n".join(sorted(set(english_words)))


def _english_words(texts: list[tuple[str, str]], tmp_path: Path) -> list[str]:
    """``where: text (words)`` for each text with an English word that is not an allowed acronym or name."""
    found = []
    for where, text in texts:
        plain = URL.sub("", _without_data(text.replace(str(tmp_path), "")))
        plain = re.sub(r"\*\.\w+|\S+\.(?:sqlite|db|json|pdf|xlsx)\b|[A-Za-z]:\\\S*|/\S+|\{\w+\}", "", plain)
        plain = re.sub(r"\b[A-Z0-9]{4,5}(?:-[A-Z0-9…]+)+", "", plain)  # an example code: K7QH-3MZP-W2RC-9TXA
        words = [word for word in WORD.findall(plain) if word not in ALLOWED_IN_CHINESE]
        if words:
            found.append(f"{where}: {text!r} ({', '.join(words)})")
    return found


def _without_data(text: str) -> str:
    """``text`` without what is data in any language: the test village's names, the operator's user name, the
    policy pack's name, ID and identity categories (as the county wrote them), an amount in words, a quoted
    Chinese column name, the names of the languages."""
    pack = load_default_policy_pack()
    categories = sorted((c.name for c in pack.identity_categories), key=len, reverse=True)  # 低保对象（061）…
    for item in ("红旗村", "城关镇", "coordinator", pack.name, pack.id, *categories, *LANGUAGE_NAMES):
        text = text.replace(item, "")
    text = re.sub(r"“[\u3400-\u9fff]+”", "", text)  # a Chinese column name the roster file must have (“姓名”)
    return AMOUNT_IN_WORDS.sub("", text)
