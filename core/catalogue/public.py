"""Departments and policies as the public sees them."""

from __future__ import annotations

from typing import Any

from db.tables import Department, Policy


async def list_departments() -> list[dict[str, Any]]:
    return await (
        Department.select(
            Department.code,
            Department.name,
            Department.short_name,
            Department.scope,
            Department.dimensions,
        )
        .where(Department.active == True)  # noqa: E712
        .order_by(Department.code)
        .output(load_json=True)
    )


async def list_policies(*, include_revoked: bool = True) -> list[dict[str, Any]]:
    query = Policy.select(
        Policy.code,
        Policy.title,
        Policy.summary,
        Policy.status,
        Policy.legal_url,
        Policy.effective_from,
        Policy.department.code.as_alias("department_code"),
        Policy.department.name.as_alias("department_name"),
    ).order_by(Policy.code)
    if not include_revoked:
        query = query.where(Policy.status != "revoked")
    return await query
