"""Departments and policies, public."""

from __future__ import annotations

from litestar import Controller, get

from api.schemas import DepartmentRef, PolicyOut
from core.catalogue.models import PublicDepartment
from core.catalogue.public import list_departments, list_policies
from core.policies.models import PolicyView


class CatalogueController(Controller):
    path = "/api/v1"
    tags = ["catalogue"]

    @get("/departments", summary="The city's departments and what each handles")
    async def departments(self) -> list[PublicDepartment]:
        return await list_departments()

    @get("/policies", summary="City policies citizens can report on")
    async def policies(self) -> list[PolicyOut]:
        return [policy_out(policy) for policy in await list_policies()]


def policy_out(policy: PolicyView) -> PolicyOut:
    """A policy as the API shows it: its department nested, its review rule left out."""
    return PolicyOut(
        code=policy.code,
        title=policy.title,
        summary=policy.summary,
        status=policy.status,
        department=DepartmentRef(code=policy.department_code, name=policy.department_name),
        legal_url=policy.legal_url,
        effective_from=policy.effective_from,
    )
