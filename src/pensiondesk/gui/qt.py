"""The one Qt import point (Qt 导入入口) of the GUI.

Every other module in ``pensiondesk.gui`` imports Qt names from here, never from ``PySide6`` directly (the
qutebrowser ``qutebrowser/qt`` pattern). A binding upgrade or a name that moves between Qt modules is then a
change to this one file, and ``grep`` shows exactly which parts of Qt the client depends on.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QFont,
    QFontDatabase,
    QFontInfo,
    QFontMetrics,
    QImage,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "QAbstractItemView",
    "QAbstractTableModel",
    "QAction",
    "QActionGroup",
    "QApplication",
    "QColor",
    "QCoreApplication",
    "QEvent",
    "QFont",
    "QFontDatabase",
    "QFontInfo",
    "QFontMetrics",
    "QHBoxLayout",
    "QHeaderView",
    "QImage",
    "QKeyEvent",
    "QKeySequence",
    "QLabel",
    "QLibraryInfo",
    "QLineEdit",
    "QListWidget",
    "QListWidgetItem",
    "QLocale",
    "QMainWindow",
    "QMessageBox",
    "QModelIndex",
    "QObject",
    "QPersistentModelIndex",
    "QSize",
    "QStackedWidget",
    "QTableView",
    "QTimer",
    "QTranslator",
    "QVBoxLayout",
    "QWidget",
    "Qt",
]
