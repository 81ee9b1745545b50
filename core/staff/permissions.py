"""Who may write what: the authorization rules every core write asks, written once.

Route guards (api/guards.py) keep people off pages they have no business on; these rules
decide the write itself, whichever door it came through. The system (scheduler, the
operator at the command line) may do everything a person may.
"""

from __future__ import annotations

from core.errors import Forbidden
from core.staff.actors import Actor, ActorKind, Role
from i18n import N_

# Officers and heads act for one department; the other roles span the whole city.
DEPARTMENT_ROLES = frozenset({Role.OFFICER, Role.HEAD})


def may_act_on_department(actor: Actor, department_id: int | None) -> bool:
    """Officers and heads act only on their own department; everyone else city-wide (what
    each role may do at all is the caller's rule)."""
    return actor.role not in DEPARTMENT_ROLES or actor.department_id == department_id


def is_admin(actor: Actor) -> bool:
    return actor.kind is ActorKind.SYSTEM or actor.role is Role.ADMIN


def may_act_as_head_of(actor: Actor, department_id: int | None) -> bool:
    """An admin, or the head of this department."""
    return is_admin(actor) or (actor.role is Role.HEAD and actor.department_id == department_id)


# `refusal`: what to say instead of the general message, when a write has its own.


def require_admin(actor: Actor, *, refusal: Forbidden | None = None) -> None:
    if not is_admin(actor):
        raise refusal or Forbidden(N_("Hanya admin yang dapat melakukan ini."))


def require_admin_or_head_of(
    actor: Actor, department_id: int | None, *, refusal: Forbidden | None = None
) -> None:
    if not may_act_as_head_of(actor, department_id):
        raise refusal or Forbidden(
            N_("Hanya admin atau kepala perangkat daerah ini yang dapat melakukan ini."),
        )
