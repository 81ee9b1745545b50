"""Who causes a change: a citizen, a staff member with a role (and, for officers and heads,
a department), or the system itself (the scheduler, the operator at the command line)."""

from __future__ import annotations

from enum import StrEnum

import msgspec

from i18n import N_


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


# The name of each role people read (msgids of the i18n catalogue).
ROLE_NAMES: dict[str, str] = {
    Role.OFFICER: N_("Petugas"),
    Role.HEAD: N_("Kepala perangkat daerah"),
    Role.VERIFIER: N_("Verifikator"),
    Role.LEADERSHIP: N_("Pimpinan"),
    Role.ADMIN: N_("Admin"),
}


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
