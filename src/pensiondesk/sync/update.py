"""Program updates (程序升级): compare this program's version with what the county's handshake asks for.

The county server may announce a minimum and a latest program version in the handshake (``pensiondesk-county
serve --min-app-version X --latest-app-version Y``). Below the minimum the laptop does not sync at all — nothing is
sent, the outbox stays pending on this computer and goes up after the update; below the latest only it syncs and
says a new version is available. The last-known values are kept in the ``setting`` table so the notice shows
offline, and disappears by itself once this program is updated.
"""

from __future__ import annotations

from typing import Any, Literal

from packaging.version import InvalidVersion, Version
from sqlalchemy.orm import Session

from pensiondesk import __version__
from pensiondesk.store.models import Setting

UpdateNeed = Literal["required", "available"]

MIN_VERSION_SETTING = "sync_min_app_version"
LATEST_VERSION_SETTING = "sync_latest_app_version"


def parse_version(value: str | None) -> Version | None:
    """``value`` as a version, or ``None`` when empty or not a version (then it is ignored)."""
    if not value:
        return None
    try:
        return Version(value.strip())
    except InvalidVersion:
        return None


def update_need(min_version: str | None, latest_version: str | None, current: str = __version__) -> UpdateNeed | None:
    """``"required"`` below the minimum, ``"available"`` below the latest only, else ``None``."""
    mine = parse_version(current)
    if mine is None:
        return None
    minimum = parse_version(min_version)
    if minimum is not None and mine < minimum:
        return "required"
    latest = parse_version(latest_version)
    if latest is not None and mine < latest:
        return "available"
    return None


def update_message(need: UpdateNeed | None, min_version: str | None, latest_version: str | None) -> str | None:
    """The Chinese notice for ``need`` (``None`` when there is nothing to say)."""
    if need == "required":
        return f"请先升级到 {min_version} 版本（向乡镇或县社保局索取安装包；升级不会丢失数据）"
    if need == "available":
        return f"有新版本 {latest_version} 可用"
    return None


def remember_versions(session: Session, min_version: str | None, latest_version: str | None) -> None:
    """Keep the county's last-announced versions (``None`` clears one)."""
    for key, value in ((MIN_VERSION_SETTING, min_version), (LATEST_VERSION_SETTING, latest_version)):
        row = session.get(Setting, key)
        if value is None:
            if row is not None:
                session.delete(row)
        else:
            session.merge(Setting(key=key, value=value))


def known_versions(session: Session) -> tuple[str | None, str | None]:
    """The last-announced (minimum, latest) versions, as kept by :func:`remember_versions`."""

    def get(key: str) -> str | None:
        row: Any = session.get(Setting, key)
        return str(row.value) if row is not None and row.value else None

    return get(MIN_VERSION_SETTING), get(LATEST_VERSION_SETTING)


def update_notice(session: Session, current: str = __version__) -> str | None:
    """The notice for the last-known versions against this program, for showing offline."""
    min_version, latest_version = known_versions(session)
    return update_message(update_need(min_version, latest_version, current), min_version, latest_version)
