"""Every action the program records reads in Chinese in 操作日志 (帮助 → 操作日志, ``services.audit_log``).

The actions are collected from the source itself — every ``action="…"`` literal, the registration review steps
(``_save(…, "village_check")``), the household records — plus the families built at run time: ``change_<key
field>``, ``cancellation.<review state>`` and ``advance.repay.<source>``. A new action without a label fails here
instead of showing its code to a coordinator.
"""

from __future__ import annotations

import re
from pathlib import Path

from pensiondesk.domain.codes import ReviewState
from pensiondesk.services.advances import RepaymentSource
from pensiondesk.services.audit_log import action_label

SOURCES = Path(__file__).resolve().parents[2] / "src" / "pensiondesk"
PATTERNS = (
    re.compile(r'\baction="([a-z_.]+)"'),
    re.compile(r'_save\(session, actor, registration, before, "([a-z_]+)"'),
    re.compile(r'_record_household\(session, actor, \w+, \w+, "([a-z_]+)"'),
)


def recorded_actions() -> set[str]:
    found: set[str] = set()
    for path in SOURCES.rglob("*.py"):
        if {"county", "gui", "commands"} & set(path.parts) or path.name == "cli.py":
            continue  # argparse's action="append" etc. are not recorded actions
        text = path.read_text(encoding="utf-8")
        for pattern in PATTERNS:
            found.update(pattern.findall(text))
    found.update(f"change_{field}" for field in ("name", "id_number", "birth_date", "sex"))
    found.update(f"cancellation.{state.value}" for state in ReviewState)
    found.update(f"advance.repay.{source.value}" for source in RepaymentSource)
    return found


def test_the_scan_finds_the_actions() -> None:
    actions = recorded_actions()
    assert {"add_person", "register", "village_check", "submit", "create_household", "dismiss_duplicate"} <= actions
    assert len(actions) > 60


def test_every_recorded_action_has_a_chinese_label() -> None:
    unlabelled = sorted(a for a in recorded_actions() if re.search(r"[A-Za-z]", action_label(a)))
    assert unlabelled == []
