"""Departments and policies, public."""

from __future__ import annotations

import msgspec
from litestar import Controller, get

from api.schemas import DepartmentOut, PolicyOut
from core.catalogue.public import list_departments, list_policies


class CatalogueController(Controller):
    path = "/api/v1"
    tags = ["catalogue"]

    @get("/departments", summary="The city's departments and what each handles")
    async def departments(self) -> list[DepartmentOut]:
        return msgspec.convert(await list_departments(), list[DepartmentOut])

    @get("/policies", summary="City policies citizens can report on")
    async def policies(self) -> list[PolicyOut]:
        rows = await list_policies()
        return [
            msgspec.convert(
                {
                    **{key: row[key] for key in ("code", "title", "summary", "status")},
                    "legal_url": row["legal_url"],
                    "effective_from": row["effective_from"],
                    "department": {"code": row["department_code"], "name": row["department_name"]},
                },
                PolicyOut,
            )
            for row in rows
        ]
