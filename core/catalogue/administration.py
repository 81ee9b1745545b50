"""The catalogue as an admin edits it: departments (with their service-level overrides) and
policies. Departments and policies are never deleted, since reports point at them; a
department is deactivated, a policy revoked."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, get_args

from piccolo.columns import Column

from core import clock
from core.catalogue.cached import changed
from core.catalogue.departments import all_departments
from core.catalogue.models import DepartmentRecord
from core.errors import Forbidden, InvalidInput, NotFound
from core.input_rules import has_control_in_text, web_address
from core.policies.models import PolicyStatus
from core.reports.emergency import ACK_MINUTES_RANGE, TRIAGE_ACK_MINUTES, retime_waiting
from core.staff.actors import Actor
from core.staff.permissions import require_admin, require_admin_or_head_of
from db.engine import write_transaction
from db.tables import Department, Policy
from i18n import N_

# The smart-city dimensions a department serves; the dashboard counts them in this order.
DIMENSIONS = ("governance", "branding", "economy", "living", "society", "environment")
POLICY_STATUSES: tuple[str, ...] = get_args(PolicyStatus)
MAX_DAYS = 365
CODE_LENGTH = (2, 40)
_CODE = re.compile(rf"^[A-Z][A-Z0-9_-]{{{CODE_LENGTH[0] - 1},{CODE_LENGTH[1] - 1}}}$")


def _required(value: str, *, field: str, max_length: int) -> str:
    cleaned = value.strip()
    if not cleaned or len(cleaned) > max_length or has_control_in_text(cleaned):
        raise InvalidInput(
            N_("Isian '%(field)s' wajib diisi, paling panjang %(max_length)s karakter."),
            max_length=max_length,
            field=field,
        )
    return cleaned


def _code(value: str) -> str:
    code = value.strip().upper()
    if not _CODE.match(code):
        raise InvalidInput(
            N_("Kode: %(low)s–%(high)s huruf besar, angka, '_' atau '-', diawali huruf."),
            low=CODE_LENGTH[0],
            high=CODE_LENGTH[1],
            field="code",
        )
    return code


def _days(value: int | None, *, field: str) -> int | None:
    if value is not None and not 1 <= value <= MAX_DAYS:
        raise InvalidInput(
            N_("Jumlah hari kerja harus 1 sampai %(max_days)s, atau kosong untuk bawaan kota."),
            max_days=MAX_DAYS,
            field=field,
        )
    return value


def _ack_minutes(value: int | None) -> int:
    """An urgent report's acknowledgement time; None: the city default."""
    if value is None:
        return TRIAGE_ACK_MINUTES
    low, high = ACK_MINUTES_RANGE
    if not low <= value <= high:
        raise InvalidInput(
            N_("Batas menit harus %(low)s sampai %(high)s, atau kosong untuk bawaan kota."),
            low=low,
            high=high,
            field="urgent_ack_minutes",
        )
    return value


async def list_all_departments() -> list[DepartmentRecord]:
    """Every department, inactive ones too, with its overrides."""
    return list(await all_departments())


async def create_department(
    *, code: str, name: str, short_name: str, scope: str, dimensions: list[str], actor: Actor
) -> None:
    require_admin(actor)
    code = _code(code)
    unknown = set(dimensions) - set(DIMENSIONS)
    if unknown:
        raise InvalidInput(
            N_("Dimensi smart city tidak dikenal; harus di antara %(choices)s."),
            choices=", ".join(DIMENSIONS),
            field="dimensions",
        )
    if await Department.exists().where(Department.code == code):
        raise InvalidInput(N_("Kode sudah dipakai."), field="code")
    async with write_transaction():
        await Department.insert(
            Department(
                code=code,
                name=_required(name, field="name", max_length=200),
                short_name=_required(short_name, field="short_name", max_length=60),
                scope=_required(scope, field="scope", max_length=2000),
                dimensions=list(dimensions),
                active=True,
            )
        )
        await changed()


async def update_department(
    *,
    code: str,
    name: str,
    short_name: str,
    scope: str,
    first_response_days: int | None,
    resolution_days: int | None,
    urgent_ack_minutes: int | None,
    active: bool,
    actor: Actor,
) -> None:
    """Names, scope, service-level overrides (null: the city default), the minutes an urgent
    report may wait for it before leadership is alerted (null: the city default; its urgent
    reports waiting now are re-timed) and whether it takes new reports."""
    require_admin(actor)
    values: dict[Column | str, Any] = {
        Department.name: _required(name, field="name", max_length=200),
        Department.short_name: _required(short_name, field="short_name", max_length=60),
        Department.scope: _required(scope, field="scope", max_length=2000),
        Department.first_response_days: _days(first_response_days, field="first_response_days"),
        Department.resolution_days: _days(resolution_days, field="resolution_days"),
        Department.urgent_ack_minutes: _ack_minutes(urgent_ack_minutes),
        Department.active: active,
    }
    async with write_transaction():
        before = (
            await Department.select(Department.id, Department.urgent_ack_minutes)
            .where(Department.code == code.strip().upper())
            .first()
        )
        if before is None:
            raise NotFound(N_("Perangkat daerah tidak ditemukan."), field="code")
        await Department.update(values).where(Department.id == before["id"])
        await retime_waiting(
            department_id=before["id"],
            minutes=values[Department.urgent_ack_minutes],
            before=before["urgent_ack_minutes"],
        )
        await changed()


async def _department_id(code: str) -> int:
    row = (
        await Department.select(Department.id)
        .where(Department.code == code.strip().upper())
        .first()
    )
    if row is None:
        raise InvalidInput(N_("Perangkat daerah tidak dikenal."), field="department")
    department_id: int = row["id"]
    return department_id


def other_department() -> Forbidden:
    return Forbidden(
        N_("Kebijakan ini milik perangkat daerah lain."),
    )


def _status(value: str) -> str:
    if value not in POLICY_STATUSES:
        raise InvalidInput(
            N_("Status kebijakan tidak dikenal; harus salah satu dari %(choices)s."),
            choices=", ".join(POLICY_STATUSES),
            field="status",
        )
    return value


async def create_policy(
    *,
    code: str,
    title: str,
    summary: str,
    department_code: str,
    legal_url: str | None,
    effective_from: date | None,
    actor: Actor,
) -> None:
    """A new policy: by an admin, or by the head of the department it belongs to."""
    department_id = await _department_id(department_code)
    require_admin_or_head_of(actor, department_id, refusal=other_department())
    code = _code(code)
    if await Policy.exists().where(Policy.code == code):
        raise InvalidInput(N_("Kode sudah dipakai."), field="code")
    await Policy.insert(
        Policy(
            code=code,
            title=_required(title, field="title", max_length=300),
            summary=_required(summary, field="summary", max_length=4000),
            department=department_id,
            status="active",
            legal_url=web_address(legal_url, field="legal_url"),
            effective_from=effective_from,
            created_at=clock.now(),
        )
    )


async def update_policy(
    *, code: str, title: str, summary: str, status: str, legal_url: str | None, actor: Actor
) -> None:
    """The head of the policy's department may reword it; its status only an admin sets
    (otherwise reviews move it)."""
    policy = (
        await Policy.select(Policy.department, Policy.status)
        .where(Policy.code == code.strip().upper())
        .first()
    )
    if policy is None:
        raise NotFound(N_("Kebijakan tidak ditemukan."), field="code")
    require_admin_or_head_of(actor, policy["department"], refusal=other_department())
    if status != policy["status"]:
        require_admin(actor)
    values: dict[Column | str, Any] = {
        Policy.title: _required(title, field="title", max_length=300),
        Policy.summary: _required(summary, field="summary", max_length=4000),
        Policy.status: _status(status),
        Policy.legal_url: web_address(legal_url, field="legal_url"),
    }
    await Policy.update(values).where(Policy.code == code.strip().upper())
