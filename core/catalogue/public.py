"""Departments and policies as the public sees them."""

from __future__ import annotations

import msgspec

from core.catalogue.departments import active_by_code
from core.catalogue.models import PublicDepartment
from core.policies.models import PolicyView
from db.tables import Policy
from i18n import N_

# A department code nobody knows, in a path (404) or a form or query (400).
UNKNOWN_DEPARTMENT = N_("Perangkat daerah '%(code)s' tidak dikenal.")


async def list_departments() -> list[PublicDepartment]:
    """The departments taking reports, by code (core/catalogue/departments.py), for every bot
    answer and page that names one."""
    return [
        PublicDepartment(
            code=one.code,
            name=one.name,
            short_name=one.short_name,
            scope=one.scope,
            dimensions=one.dimensions,
        )
        for one in (await active_by_code()).values()
    ]


async def list_policies(
    *, include_revoked: bool = True, department_id: int | None = None
) -> list[PolicyView]:
    """Policies by code; one department's when `department_id` is given."""
    query = Policy.select(
        Policy.code,
        Policy.title,
        Policy.summary,
        Policy.status,
        Policy.legal_url,
        Policy.effective_from,
        Policy.department.code.as_alias("department_code"),
        Policy.department.name.as_alias("department_name"),
        Policy.review_threshold,
        Policy.review_window_days,
    ).order_by(Policy.code)
    if not include_revoked:
        query = query.where(Policy.status != "revoked")
    if department_id is not None:
        query = query.where(Policy.department == department_id)
    return msgspec.convert(await query, list[PolicyView])
