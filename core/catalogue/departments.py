"""Every department, kept per process as one copy (core/catalogue/cached.py), and the views of
it that the doors and the services read: a report's submission, the public lists, the urgent
watch and the webhooks each ask for what they need from the same read, and an admin's change
forgets it everywhere at once (on other replicas within cached.RECHECK)."""

from __future__ import annotations

import msgspec

from core.catalogue.cached import cached
from core.catalogue.models import DepartmentRecord
from db.tables import Department


async def all_departments() -> tuple[DepartmentRecord, ...]:
    """Every department, inactive ones too, by code."""
    return await cached("departments", _load)


async def _load() -> tuple[DepartmentRecord, ...]:
    rows = await Department.select().order_by(Department.code).output(load_json=True)
    return msgspec.convert(rows, tuple[DepartmentRecord, ...])


async def active_by_code() -> dict[str, DepartmentRecord]:
    """The departments taking new reports, by code."""
    return {one.code: one for one in await all_departments() if one.active}


async def by_id() -> dict[int, DepartmentRecord]:
    """Every department by id: a report keeps its department after the department closes."""
    return {one.id: one for one in await all_departments()}
