"""The holiday calendar, editable: a new SKB moves a cuti bersama, a city declares a day off."""

from __future__ import annotations

from datetime import date

import msgspec

from core.errors import InvalidInput, NotFound
from core.service_levels.deadlines import forget_calendar
from core.service_levels.models import NonWorkingDay
from core.staff.actors import Actor
from core.staff.permissions import require_admin
from db.tables import Holiday

KINDS = ("national", "cuti_bersama")
MAX_NAME = 200


async def list_holidays(*, year: int | None = None) -> list[NonWorkingDay]:
    query = Holiday.select(Holiday.day, Holiday.name, Holiday.kind).order_by(Holiday.day)
    if year is not None:
        query = query.where((Holiday.day >= date(year, 1, 1)) & (Holiday.day <= date(year, 12, 31)))
    return msgspec.convert(await query, list[NonWorkingDay])


async def add_holiday(*, day: date, name: str, kind: str, actor: Actor) -> None:
    require_admin(actor)
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(
            f"Nama hari libur 1–{MAX_NAME} karakter.",
            f"Name: 1–{MAX_NAME} characters.",
            field="name",
        )
    if kind not in KINDS:
        raise InvalidInput(
            "Jenis harus national atau cuti_bersama.",
            "Kind must be national or cuti_bersama.",
            field="kind",
        )
    if await Holiday.exists().where(Holiday.day == day):
        raise InvalidInput(
            f"{day.isoformat()} sudah tercatat sebagai hari libur.",
            f"{day.isoformat()} is already a holiday.",
            field="day",
        )
    await Holiday.insert(Holiday(day=day, name=name, kind=kind))
    forget_calendar()


async def remove_holiday(*, day: date, actor: Actor) -> None:
    require_admin(actor)
    if not await Holiday.exists().where(Holiday.day == day):
        raise NotFound(
            f"{day.isoformat()} bukan hari libur.",
            f"{day.isoformat()} is not a holiday.",
            field="day",
        )
    await Holiday.delete().where(Holiday.day == day)
    forget_calendar()
