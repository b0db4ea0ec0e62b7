"""Who may change people's data (录入权限): a reviewer approves or returns, never edits (domain.md §14).

Entry — adding and correcting persons, households, villager groups, identity categories, migrant workers'
documents, entering a 参保登记 and importing a roster — is for 录入/初审员 (协办员) and 管理员. A 复核员 may read
everything and approves or returns registrations (``services.registration``), but every entry use case refuses
them with :func:`require_entry`, so the rule holds from the GUI, the CLI and any other caller alike.

A user account always has a name; an actor without one is the operator of a database that has no users yet (no
login) or a program step (``SYSTEM``, the county's answer), for whom roles do not apply.
"""

from __future__ import annotations

from pensiondesk.domain.codes import UserRole
from pensiondesk.services.people_types import Problem, ServiceError
from pensiondesk.services.recording import Actor

__all__ = ["ENTRY_ROLES", "REVIEW_ROLES", "entry_refusal", "may_enter", "may_review", "require_entry"]

#: Roles that may enter and correct people's data.
ENTRY_ROLES = frozenset({UserRole.COORDINATOR, UserRole.ADMIN})
#: Roles that may approve or return a registration (初审通过/退回).
REVIEW_ROLES = frozenset({UserRole.REVIEWER, UserRole.ADMIN})


def may_enter(actor: Actor) -> bool:
    """Whether ``actor`` may enter or change people's data (not a logged-in 复核员)."""
    return not actor.display_name or actor.role in ENTRY_ROLES


def may_review(actor: Actor) -> bool:
    """Whether ``actor`` may approve or return a registration (复核: 复核员 and 管理员, or no login)."""
    return not actor.display_name or actor.role in REVIEW_ROLES


def entry_refusal(actor: Actor, what: str = "录入或修改人员信息") -> str:
    """Why ``actor`` may not do ``what``, in plain Chinese ("" when they may)."""
    if may_enter(actor):
        return ""
    return (
        f"{actor.display_name}是{actor.role.label}：复核员只审核（通过或退回），不能{what}；"
        f"请由录入/初审员或管理员登录后办理"
    )


def require_entry(actor: Actor, what: str = "录入或修改人员信息") -> None:
    """Raise :class:`ServiceError` (code ``role``) when ``actor`` is a reviewer, who never edits."""
    message = entry_refusal(actor, what)
    if message:
        raise ServiceError([Problem("entered_by", message, code="role")])
