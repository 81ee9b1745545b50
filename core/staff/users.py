"""Staff accounts."""

from __future__ import annotations

import re
import sqlite3

import asyncpg

from core import clock
from core.errors import InvalidInput
from core.staff.actors import Actor, Role
from core.staff.models import NewUser
from core.staff.notices import require_email_free, staff_email
from core.staff.passwords import hash_password, require_long_enough
from core.staff.permissions import DEPARTMENT_ROLES, require_admin
from db.tables import Department, User
from i18n import N_

USERNAME_LENGTH = (3, 64)
_USERNAME = re.compile(
    rf"^[a-z0-9][a-z0-9._-]{{{USERNAME_LENGTH[0] - 1},{USERNAME_LENGTH[1] - 1}}}$"
)


async def create_user(
    *,
    username: str,
    full_name: str,
    password: str,
    role: str,
    department_code: str | None = None,
    email: str | None = None,
    actor: Actor,
) -> NewUser:
    require_admin(actor)
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise InvalidInput(
            N_("Nama pengguna %(low)s–%(high)s karakter: huruf kecil, angka, titik, garis."),
            low=USERNAME_LENGTH[0],
            high=USERNAME_LENGTH[1],
            field="username",
        )
    require_long_enough(password)
    try:
        role_value = Role(role)
    except ValueError:
        raise InvalidInput(
            N_("Peran tidak dikenal; harus salah satu dari %(choices)s."),
            choices=", ".join(Role),
            field="role",
        ) from None
    department_id = None
    if role_value in DEPARTMENT_ROLES:
        department = (
            await Department.select(Department.id)
            .where(Department.code == (department_code or "").strip().upper())
            .first()
        )
        if department is None:
            raise InvalidInput(
                N_("Petugas dan kepala dinas harus punya perangkat daerah yang dikenal."),
                field="department",
            )
        department_id = department["id"]
    address = staff_email(email)
    if await User.exists().where(User.username == username):
        raise InvalidInput(N_("Nama pengguna sudah dipakai."), field="username")
    await require_email_free(address)
    try:
        rows = await User.insert(
            User(
                username=username,
                full_name=full_name.strip() or username,
                password_hash=await hash_password(password),
                role=role_value,
                department=department_id,
                email=address,
                created_at=clock.now(),
            )
        ).returning(User.id, User.username, User.role, User.department)
    except (asyncpg.UniqueViolationError, sqlite3.IntegrityError):
        # Another admin took the name or the address since the checks above.
        raise InvalidInput(
            N_("Nama pengguna atau alamat surel sudah dipakai."), field="username"
        ) from None
    row = rows[0]
    return NewUser(
        id=row["id"],
        username=row["username"],
        role=Role(row["role"]),
        department_id=row["department"],
    )
