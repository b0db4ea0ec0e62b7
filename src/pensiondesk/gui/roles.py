"""Who may do what in the GUI (角色): 复核 for 复核员 and 管理员, entry for 录入/初审员 and 管理员 (domain.md §14).

The pages disable an action the logged-in user's role does not allow and say why in its tooltip. A user account
always has a name (``services.accounts`` refuses an empty one); an actor without one is the operator of a database
that has no users yet (no login), for whom roles do not apply.
"""

from __future__ import annotations

from pensiondesk.domain.codes import UserRole
from pensiondesk.services.recording import Actor

__all__ = ["REVIEW_ROLES", "may_review", "review_refusal"]

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
