"""Who may do what in the GUI (角色): 复核 for 复核员 and 管理员, entry for 录入/初审员 and 管理员 (domain.md §14).

The pages disable an action the logged-in user's role does not allow and say why in its tooltip. A user account
always has a name (``services.accounts`` refuses an empty one); an actor without one is the operator of a database
that has no users yet (no login), for whom roles do not apply. The rules themselves are ``services.permissions``
(the services refuse the same); this module adds the words for tooltips.
"""

from __future__ import annotations

from pensiondesk.gui.qt import QCoreApplication
from pensiondesk.services.permissions import REVIEW_ROLES, may_enter, may_review
from pensiondesk.services.recording import Actor

__all__ = ["REVIEW_ROLES", "entry_tip", "may_enter", "may_review", "review_refusal"]


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
