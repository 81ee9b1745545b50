"""Reply templates: answers a department gives often, kept by its head, used by its officers."""

from __future__ import annotations

import msgspec

from core import clock
from core.errors import Forbidden, InvalidInput, NotFound
from core.reports.models import SavedReply
from core.staff.actors import Actor
from core.staff.permissions import require_admin_or_head_of
from db.tables import ReplyTemplate
from i18n import N_

MAX_TITLE = 120
MAX_BODY = 4000


def _may_edit(actor: Actor, department_id: int) -> None:
    require_admin_or_head_of(
        actor,
        department_id,
        refusal=Forbidden(
            N_("Hanya kepala perangkat daerah atau admin yang dapat mengubah templat balasan."),
        ),
    )


async def for_department(department_id: int) -> list[SavedReply]:
    rows = (
        await ReplyTemplate.select(ReplyTemplate.id, ReplyTemplate.title, ReplyTemplate.body)
        .where(ReplyTemplate.department == department_id)
        .order_by(ReplyTemplate.title)
    )
    return msgspec.convert(rows, list[SavedReply])


async def add(*, department_id: int, title: str, body: str, actor: Actor) -> int:
    _may_edit(actor, department_id)
    title, body = title.strip(), body.strip()
    if not 3 <= len(title) <= MAX_TITLE:
        raise InvalidInput(
            N_("Judul templat 3–%(max_title)s karakter."),
            max_title=MAX_TITLE,
            field="title",
        )
    if not 3 <= len(body) <= MAX_BODY:
        raise InvalidInput(
            N_("Isi templat 3–%(max_body)s karakter."),
            max_body=MAX_BODY,
            field="body",
        )
    rows = await ReplyTemplate.insert(
        ReplyTemplate(department=department_id, title=title, body=body, created_at=clock.now())
    ).returning(ReplyTemplate.id)
    template_id: int = rows[0]["id"]
    return template_id


async def remove(*, template_id: int, actor: Actor) -> None:
    row = (
        await ReplyTemplate.select(ReplyTemplate.department)
        .where(ReplyTemplate.id == template_id)
        .first()
    )
    if row is None:
        raise NotFound(N_("Templat tidak ditemukan."), field="template")
    _may_edit(actor, row["department"])
    await ReplyTemplate.delete().where(ReplyTemplate.id == template_id)
