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


# Who may carry a report of their department (core/reports/assignment.py).
ASSIGNEE_ROLES = frozenset({Role.OFFICER, Role.HEAD})


def may_assign(
    actor: Actor, *, department_id: int | None, officer_id: int | None, current_id: int | None
) -> bool:
    """Who may give a report of `department_id` to `officer_id` (None: to nobody) while
    `current_id` carries it: an admin or the department's head anyone of its staff; one of
    its officers only themselves, taking a report nobody carries, or letting go of their own."""
    if may_act_as_head_of(actor, department_id):
        return True
    if actor.role is not Role.OFFICER or actor.department_id != department_id:
        return False
    me = actor.user_id
    return (officer_id == me and current_id in (None, me)) or (
        officer_id is None and current_id == me
    )


# Who may keep internal notes on a report they may read (core/reports/notes.py): leadership
# reads, it does not write.
NOTE_ROLES = frozenset({Role.OFFICER, Role.HEAD, Role.VERIFIER, Role.ADMIN})


def may_note(actor: Actor, department_id: int | None) -> bool:
    if actor.kind is ActorKind.SYSTEM:
        return True
    return actor.role in NOTE_ROLES and may_act_on_department(actor, department_id)
