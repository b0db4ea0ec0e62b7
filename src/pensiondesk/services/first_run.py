"""First-run setup (首次使用设置) and the idle lock setting, without Qt.

The setup wizard of the GUI (``gui/setup_wizard.py``) asks, on a brand-new data folder, which village this laptop
serves, who its first user is, which printer it prints on and whether to import the roster. This module holds the
parts of that which touch the database:

* :func:`needs_first_run` — whether the wizard should open at start: no user yet, and either no village or a
  setup that was begun and not finished (a wizard closed half-way opens again next time). A demo database has a
  village and is never set up this way.
* :func:`set_up_village_offline` — 离线设置本村: the county, township and village, by the village's 12-digit
  statistical code (统计用区划代码) and names, exactly as enrolment would create them (``sync.engine`` derives
  the township and county codes from the village code the same way), so that enrolling later with the county's
  code for this village finds it. Audited; not synced (the county keeps its own list of villages).
* :func:`mark_setup` — the wizard's progress (``started`` / ``done``), in the ``setting`` table.
* :func:`idle_lock_minutes` / :func:`set_idle_lock_minutes` — after how many minutes without keyboard or mouse
  the window locks (自动锁定), per database (audited).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pensiondesk.services.people_types import Problem, ServiceError
from pensiondesk.services.recording import Actor, record_change
from pensiondesk.store.models import County, Setting, SyncState, Township, User, Village

__all__ = [
    "DEFAULT_IDLE_LOCK_MINUTES",
    "IDLE_LOCK_SETTING",
    "MAX_IDLE_LOCK_MINUTES",
    "SETUP_SETTING",
    "VillagePlace",
    "current_place",
    "idle_lock_minutes",
    "is_enrolled",
    "mark_setup",
    "needs_first_run",
    "set_idle_lock_minutes",
    "set_up_village_offline",
    "setup_state",
    "user_count",
    "village_codes",
]

#: Setting key of the wizard's progress: ``"started"`` once a village is set, ``"done"`` at its last page.
SETUP_SETTING = "setup_wizard"
#: Setting key of the idle-lock delay in minutes.
IDLE_LOCK_SETTING = "idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 10
MAX_IDLE_LOCK_MINUTES = 120

VILLAGE_CODE_LENGTH = 12


@dataclass(frozen=True)
class VillagePlace:
    """The village this database serves, with its township and county (names and codes)."""

    village_code: str
    village_name: str
    township_code: str
    township_name: str
    county_code: str
    county_name: str


def user_count(session: Session) -> int:
    """How many users (操作员) this database has, active or not."""
    return int(session.scalar(select(func.count()).select_from(User)) or 0)


def setup_state(session: Session) -> str | None:
    """The wizard's progress: ``None`` (never run), ``"started"`` or ``"done"``."""
    setting = session.get(Setting, SETUP_SETTING)
    return str(setting.value) if setting is not None and setting.value else None


def current_place(session: Session) -> VillagePlace | None:
    """The village of the ``village_id`` setting with its township and county, or ``None`` before setup."""
    setting = session.get(Setting, "village_id")
    village = session.get(Village, setting.value) if setting is not None and setting.value else None
    if village is None:
        return None
    township = session.get(Township, village.township_id)
    county = session.get(County, township.county_id) if township is not None else None
    return VillagePlace(
        village.code,
        village.name,
        township.code if township else "",
        township.name if township else "",
        county.code if county else "",
        county.name if county else "",
    )


def is_enrolled(session: Session) -> bool:
    """Whether this laptop holds a device token from the county (登记到县级服务器)."""
    state = session.get(SyncState, 1)
    return state is not None and bool(state.device_token)


def needs_first_run(session: Session) -> bool:
    """Whether the setup wizard should open at start (see the module docstring)."""
    if user_count(session):
        return False
    state = setup_state(session)
    if state == "done":
        return False
    return state == "started" or current_place(session) is None


def village_codes(village_code: str) -> tuple[str, str]:
    """(township code, county code) of a 12-digit village code: its first 9 and first 6 digits."""
    code = village_code.strip()
    return code[:9], code[:6]


def _problem(field: str, message: str) -> ServiceError:
    return ServiceError([Problem(field, message, code="invalid")])


def set_up_village_offline(
    session: Session,
    actor: Actor,
    *,
    village_code: str,
    village_name: str,
    township_name: str,
    county_name: str,
) -> VillagePlace:
    """离线设置本村: create the county, township and village and make the village this database's.

    Refuses (:class:`ServiceError`, one sentence per wrong field) a code that is not 12 digits, an empty name,
    and a database that already serves another village (a village is set once; enrolment or a new data folder
    changes it).
    """
    code = village_code.strip()
    names = {"village_name": village_name.strip(), "township_name": township_name.strip()}
    names["county_name"] = county_name.strip()
    if not (len(code) == VILLAGE_CODE_LENGTH and code.isdigit()):
        raise _problem(
            "village_code",
            f"村代码应是 {VILLAGE_CODE_LENGTH} 位数字（县社保局或统计部门给的统计用区划代码），现在是“{code}”",
        )
    labels = {"village_name": "村名", "township_name": "乡镇名", "county_name": "县（区）名"}
    for field, value in names.items():
        if not value:
            raise _problem(field, f"请填写{labels[field]}")
        if len(value) > 64:
            raise _problem(field, f"{labels[field]}太长（最多 64 个字）")
    existing = current_place(session)
    if existing is not None and existing.village_code != code:
        raise ServiceError(
            f"本机数据库已经设置为 {existing.village_name}（{existing.village_code}），不能改成另一个村。"
            "如果设置错了，请联系县社保局。"
        )
    township_code, county_code = village_codes(code)
    county = session.scalar(select(County).where(County.code == county_code))
    if county is None:
        county = County(code=county_code, name=names["county_name"])
        session.add(county)
        session.flush()
    township = session.scalar(select(Township).where(Township.code == township_code))
    if township is None:
        township = Township(county_id=county.id, code=township_code, name=names["township_name"])
        session.add(township)
        session.flush()
    village = session.scalar(select(Village).where(Village.code == code))
    if village is None:
        village = Village(township_id=township.id, code=code, name=names["village_name"])
        session.add(village)
        session.flush()
    before = _setting_value(session, "village_id")
    session.merge(Setting(key="village_id", value=village.id))
    after: dict[str, Any] = {
        "village_id": village.id,
        "village_code": code,
        "village_name": village.name,
        "township_code": township_code,
        "township_name": township.name,
        "county_code": county_code,
        "county_name": county.name,
    }
    record_change(
        session,
        actor=actor,
        action="setup.village_offline",
        entity_type="village",
        entity_id=village.id,
        before={"village_id": before} if before else None,
        after=after,
        sync=False,
    )
    place = current_place(session)
    assert place is not None
    return place


def _setting_value(session: Session, key: str) -> Any:
    setting = session.get(Setting, key)
    return setting.value if setting is not None else None


def mark_setup(session: Session, state: str) -> None:
    """Record the wizard's progress (``"started"`` or ``"done"``); bookkeeping of this laptop, not audited."""
    if state not in ("started", "done"):
        raise ValueError(state)
    session.merge(Setting(key=SETUP_SETTING, value=state))


def idle_lock_minutes(session: Session) -> int:
    """After how many idle minutes the window locks (10 until someone changes it)."""
    value = _setting_value(session, IDLE_LOCK_SETTING)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_IDLE_LOCK_MINUTES:
        return value
    return DEFAULT_IDLE_LOCK_MINUTES


def set_idle_lock_minutes(session: Session, actor: Actor, minutes: int | str) -> int:
    """Store the idle-lock delay (1 to 120 minutes); returns it. Audited, not synced."""
    try:
        value = int(str(minutes).strip())
    except ValueError:
        raise _problem("idle_lock_minutes", f"自动锁定时间应是 1 到 {MAX_IDLE_LOCK_MINUTES} 之间的整数分钟") from None
    if not 1 <= value <= MAX_IDLE_LOCK_MINUTES:
        raise _problem("idle_lock_minutes", f"自动锁定时间应是 1 到 {MAX_IDLE_LOCK_MINUTES} 之间的整数分钟")
    before = _setting_value(session, IDLE_LOCK_SETTING)
    session.merge(Setting(key=IDLE_LOCK_SETTING, value=value))
    record_change(
        session,
        actor=actor,
        action="setting.idle_lock",
        entity_type="setting",
        entity_id=IDLE_LOCK_SETTING,
        before={"minutes": before} if before is not None else None,
        after={"minutes": value},
        sync=False,
    )
    return value
