"""PySide6 desktop GUI. Only this package imports Qt, and only through ``pensiondesk.gui.qt``."""
