"""Who causes a change: a citizen, a staff member with a role (and, for officers and heads,
a department), or the system itself (the scheduler, the operator at the command line)."""

from __future__ import annotations

from enum import StrEnum

import msgspec


class ActorKind(StrEnum):
    CITIZEN = "citizen"
    OFFICER = "officer"
    SYSTEM = "system"


class Role(StrEnum):
    OFFICER = "officer"
    HEAD = "head"
    VERIFIER = "verifier"
    LEADERSHIP = "leadership"
    ADMIN = "admin"


class Actor(msgspec.Struct, frozen=True, kw_only=True):
    """Who causes a change. Staff carry their role and department; citizens their id."""

    kind: ActorKind
    user_id: int | None = None
    role: Role | None = None
    department_id: int | None = None
    citizen_id: int | None = None

    @classmethod
    def system(cls) -> Actor:
        return cls(kind=ActorKind.SYSTEM)
