"""Who may open what: one set of role and department checks for pages and the JSON API.

Roles open areas (a guard per area); within an area, officers and heads see only their own
department's reports, the other roles see every department.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from api.auth import StaffUser, current_user, signed_in_user
from core.catalogue.public import UNKNOWN_DEPARTMENT
from core.errors import InvalidInput
from core.staff.actors import Role
from core.staff.permissions import DEPARTMENT_ROLES, may_act_on_department
from db.tables import Department
from i18n import N_

STAFF_ROLES = frozenset(Role)
QUEUE_ROLES = frozenset({Role.OFFICER, Role.HEAD, Role.ADMIN})
HEAD_ROLES = frozenset({Role.HEAD, Role.ADMIN})
TRIAGE_ROLES = frozenset({Role.VERIFIER, Role.ADMIN})
LEADERSHIP_ROLES = frozenset({Role.LEADERSHIP, Role.ADMIN})
ADMIN_ROLES = frozenset({Role.ADMIN})

# Declared on every staff controller: its handlers take the staff member their guard
# loaded as `user: SignedInUser`.
SIGNED_IN = {"user": Provide(signed_in_user)}
SignedInUser: TypeAlias = NamedDependency[StaffUser]

# The staff areas in the order the navigation shows them: (path, name, roles).
STAFF_AREAS: tuple[tuple[str, str, frozenset[Role]], ...] = (
    ("/officer", N_("Antrean"), QUEUE_ROLES),
    ("/head", N_("Kepala dinas"), HEAD_ROLES),
    ("/policies", N_("Tinjauan kebijakan"), HEAD_ROLES),
    ("/verifier", N_("Triase"), TRIAGE_ROLES),
    ("/leadership", N_("Pimpinan"), LEADERSHIP_ROLES),
    ("/admin", N_("Admin"), ADMIN_ROLES),
)
HOME_BY_ROLE = {
    Role.OFFICER: "/officer",
    Role.HEAD: "/head",
    Role.VERIFIER: "/verifier",
    Role.LEADERSHIP: "/leadership",
    Role.ADMIN: "/admin",
}


def allow(roles: frozenset[Role]) -> Guard:
    """A guard: signed in (401 otherwise) with one of `roles` (403 otherwise)."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = await current_user(connection)
        if user is None:
            raise NotAuthorizedException()
        if user.role not in roles:
            raise PermissionDeniedException()

    return guard


def areas_for(user: StaffUser | None) -> list[tuple[str, str]]:
    if user is None:
        return []
    return [(path, key) for path, key, roles in STAFF_AREAS if user.role in roles]


def ensure_may_read(user: StaffUser, department_id: int | None) -> None:
    """Officers and heads read only reports of their own department."""
    if not may_act_on_department(user.actor, department_id):
        raise PermissionDeniedException()


async def working_department(user: StaffUser, requested_code: str | None) -> dict[str, Any] | None:
    """The department whose queue `user` works on: their own, or for an admin the one asked
    for (None until an admin picks one). Asking for another department is refused."""
    code = (requested_code or "").strip().upper() or None
    if user.role in DEPARTMENT_ROLES:
        if code and code != user.department_code:
            raise PermissionDeniedException()
        code = user.department_code
    if code is None:
        return None
    department = (
        await Department.select(Department.id, Department.code, Department.name)
        .where(Department.code == code)
        .first()
    )
    if department is None:
        raise InvalidInput(
            UNKNOWN_DEPARTMENT,
            code=code,
            field="department",
        )
    return department
