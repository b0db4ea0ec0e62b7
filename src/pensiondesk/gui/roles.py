"""Who may do what in the GUI (角色): 复核 for 复核员 and 管理员, entry for 录入/初审员 and 管理员 (domain.md §14).

The pages disable an action the logged-in user's role does not allow and say why in its tooltip. A user account
always has a name (``services.accounts`` refuses an empty one); an actor without one is the operator of a database
that has no users yet (no login), for whom roles do not apply.
"""

from __future__ import annotations

from pensiondesk.domain.codes import UserRole
from pensiondesk.gui.qt import QCoreApplication
from pensiondesk.services.permissions import may_enter
from pensiondesk.services.recording import Actor

__all__ = ["REVIEW_ROLES", "entry_tip", "may_enter", "may_review", "review_refusal"]

REVIEW_ROLES = frozenset({UserRole.REVIEWER, UserRole.ADMIN})


def _logged_in(actor: Actor) -> bool:
    return bool(actor.display_name)


def may_review(actor: Actor) -> bool:
    """Whether ``actor`` may approve or return a registration (复核)."""
    return not _logged_in(actor) or actor.role in REVIEW_ROLES


def review_refusal(actor: Actor) -> str:
    """Why ``actor`` may not review, for a tooltip ("" when they may)."""
    if may_review(actor):
        return ""
    return f"{actor.display_name}是{actor.role.label}：初审通过和退回只能由复核员或管理员办理（请换复核员登录）"


def entry_tip(actor: Actor) -> str:
    """Why ``actor`` may not enter or change people's data, for a tooltip ("" when they may): a 复核员 approves or
    returns, never edits (domain.md §14; ``services.permissions`` refuses the same)."""
    if may_enter(actor):
        return ""
    return QCoreApplication.translate(
        "roles", "复核员只审核（通过或退回），不能录入或修改人员信息；请由录入/初审员或管理员登录后办理"
    )
