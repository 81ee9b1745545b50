"""The catalogue shipped with the product: departments, holidays, policies.

Only rows that are missing are inserted, so an admin's later edits are never overwritten.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from db.engine import write_transaction
from db.tables import Department, Holiday, Policy

SEED_DIR = Path(__file__).parent / "seed"


def _load(name: str) -> Any:
    return json.loads((SEED_DIR / name).read_text(encoding="utf-8"))


async def seed_catalogue() -> None:
    async with write_transaction():
        known = {row["code"] for row in await Department.select(Department.code)}
        departments = [
            Department(**row, active=True)
            for row in _load("departments.json")["departments"]
            if row["code"] not in known
        ]
        if departments:
            await Department.insert(*departments)

        known_days = {row["day"] for row in await Holiday.select(Holiday.day)}
        holidays = [
            Holiday(day=day, name=row["name"], kind=row["kind"])
            for row in _load("holidays.json")["holidays"]
            if (day := date.fromisoformat(row["day"])) not in known_days
        ]
        if holidays:
            await Holiday.insert(*holidays)

        department_ids = {
            row["code"]: row["id"]
            for row in await Department.select(Department.id, Department.code)
        }
        known_policies = {row["code"] for row in await Policy.select(Policy.code)}
        policies = [
            Policy(
                code=row["code"],
                title=row["title"],
                summary=row["summary"],
                department=department_ids[row["department"]],
                status="active",
                legal_url=row.get("legal_url"),
                effective_from=date.fromisoformat(row["effective_from"]),
            )
            for row in _load("policies.json")["policies"]
            if row["code"] not in known_policies
        ]
        if policies:
            await Policy.insert(*policies)
