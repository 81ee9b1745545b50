"""The holiday calendar, editable: a new SKB moves a cuti bersama, a city declares a day off."""

from __future__ import annotations

from datetime import date

import msgspec

from core.catalogue.cached import changed
from core.errors import InvalidInput, NotFound
from core.service_levels.models import NonWorkingDay
from core.staff.actors import Actor
from core.staff.permissions import require_admin
from db.engine import write_transaction
from db.tables import Holiday
from i18n import N_

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
            N_("Nama hari libur 1–%(max_name)s karakter."),
            max_name=MAX_NAME,
            field="name",
        )
    if kind not in KINDS:
        raise InvalidInput(
            N_("Jenis harus national atau cuti_bersama."),
            field="kind",
        )
    if await Holiday.exists().where(Holiday.day == day):
        raise InvalidInput(
            N_("%(day)s sudah tercatat sebagai hari libur."),
            day=day.isoformat(),
            field="day",
        )
    async with write_transaction():
        await Holiday.insert(Holiday(day=day, name=name, kind=kind))
        await changed()


async def remove_holiday(*, day: date, actor: Actor) -> None:
    require_admin(actor)
    if not await Holiday.exists().where(Holiday.day == day):
        raise NotFound(
            N_("%(day)s bukan hari libur."),
            day=day.isoformat(),
            field="day",
        )
    async with write_transaction():
        await Holiday.delete().where(Holiday.day == day)
        await changed()
