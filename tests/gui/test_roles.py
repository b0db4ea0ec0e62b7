"""Roles in the GUI (角色): 复核 (初审通过/退回) only for 复核员 and 管理员; a 录入/初审员 sees why it is off.

On a real demo village with a registration entered by alice: a logged-in coordinator cannot approve (buttons
disabled, tooltip says why, and asking anyway changes nothing); a reviewer and an administrator can.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pensiondesk.domain.codes import ReviewState, UserRole
from pensiondesk.gui.review_page import ReviewPage
from pensiondesk.gui.roles import may_review
from pensiondesk.services import people, registration
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import Person, Registration

pytestmark = pytest.mark.gui


def _entered(db: Database) -> str:
    from datetime import date

    with db.session() as session:
        ids = [p.id for p in session.query(Person).limit(200)]
    for person_id in ids:
        try:
            with db.session() as session:
                return registration.register(session, Actor("alice"), person_id, registered_on=date.today()).id
        except people.ServiceError:
            continue
    raise AssertionError("no resident may enrol in the demo village")


@pytest.mark.parametrize(
    ("role", "allowed"), [(UserRole.COORDINATOR, False), (UserRole.REVIEWER, True), (UserRole.ADMIN, True)]
)
def test_review_needs_a_reviewer_or_administrator(qtbot: QtBot, tmp_path: Path, role: UserRole, allowed: bool) -> None:
    db = open_database(tmp_path / "village.sqlite")
    try:
        with db.session() as session:
            create_demo_village(session, persons=60, seed=2)
        registration_id = _entered(db)
        actor = Actor("bob", role, "鲍伯")
        page = ReviewPage(db.session, actor=lambda: actor)
        qtbot.addWidget(page)
        assert page.select_registration(registration_id)
        assert page.approve_button.isEnabled() is allowed and page.return_button.isEnabled() is allowed
        if not allowed:
            assert "只能由复核员或管理员办理" in page.approve_button.toolTip()
        assert page.approve_selected() is allowed
        with db.session() as session:
            stored = session.get(Registration, registration_id)
            assert stored is not None
            expected = ReviewState.VILLAGE_CHECKED if allowed else ReviewState.ENTERED
            assert stored.review_state is expected
    finally:
        db.close()


def test_no_login_means_no_roles() -> None:
    assert may_review(Actor("coordinator"))  # a database without users: the one operator does everything


def test_the_service_refuses_a_coordinator_review_too(tmp_path: Path) -> None:
    db = open_database(tmp_path / "village.sqlite")
    try:
        with db.session() as session:
            create_demo_village(session, persons=60, seed=2)
        registration_id = _entered(db)
        coordinator = Actor("bob", UserRole.COORDINATOR, "鲍伯")
        with pytest.raises(people.ServiceError, match="只能由复核员或管理员办理"), db.session() as session:
            registration.village_check(session, coordinator, registration_id)
        with pytest.raises(people.ServiceError, match="只能由复核员或管理员办理"), db.session() as session:
            registration.village_return(session, coordinator, registration_id, reason="材料不全")
        with db.session() as session:
            stored = session.get(Registration, registration_id)
            assert stored is not None and stored.review_state is ReviewState.ENTERED
    finally:
        db.close()
