"""Where the program keeps its per-user files (数据文件夹): the database, backups, logs, printouts, county templates.

Windows: ``%LOCALAPPDATA%\\PensionDesk``; elsewhere the platform's user data folder (platformdirs);
``PENSIONDESK_HOME`` overrides it. No I/O at import.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["HOME_ENV_VAR", "data_dir"]

HOME_ENV_VAR = "PENSIONDESK_HOME"


def data_dir() -> Path:
    """The per-user data directory (Windows: %LOCALAPPDATA%\\PensionDesk); PENSIONDESK_HOME overrides it."""
    override = os.environ.get(HOME_ENV_VAR)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("PensionDesk", appauthor=False))
