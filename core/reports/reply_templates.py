"""Reply templates: answers a department gives often, kept by its head, used by its officers.

A body may name the report it answers with the placeholders of PLACEHOLDERS (`{kode}`,
`{dinas}`, `{tenggat}`), filled when an officer picks the template on the report's page; a
template naming any other placeholder is refused when it is saved.
"""

from __future__ import annotations

import re
from datetime import datetime

import msgspec

from config import settings
from core import clock
from core.errors import Forbidden, InvalidInput, NotFound
from core.reports.models import SavedReply
from core.staff.actors import Actor
from core.staff.permissions import require_admin_or_head_of
from db.tables import Department, ReplyTemplate
from i18n import N_, format_datetime

MAX_TITLE = 120
MAX_BODY = 4000

# The placeholders a template may hold, and what each becomes (msgids, for the head's page).
PLACEHOLDERS: dict[str, str] = {
    "kode": N_("kode pelacakan laporan"),
    "dinas": N_("nama singkat perangkat daerah"),
    "tenggat": N_("tenggat laporan, waktu kota"),
}
_PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")
# The deadline as the city writes it, in its time zone: "5 Desember 2026 14.00 WIB".
DEADLINE_FORMAT = "d MMMM y HH.mm zzz"
# A template is an Indonesian text to citizens: the values are written in Indonesian.
_TEMPLATE_LANGUAGE = "id"
NO_DEADLINE = "-"


def known_placeholders() -> str:
    return ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


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


def _checked(title: str, body: str) -> tuple[str, str]:
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
    for name in _PLACEHOLDER.findall(body):
        if name not in PLACEHOLDERS:
            raise InvalidInput(
                N_("Penanda {%(name)s} tidak dikenal; yang dapat dipakai: %(known)s."),
                name=name[:40],
                known=known_placeholders(),
                field="body",
            )
    return title, body


async def add(*, department_id: int, title: str, body: str, actor: Actor) -> int:
    _may_edit(actor, department_id)
    title, body = _checked(title, body)
    rows = await ReplyTemplate.insert(
        ReplyTemplate(department=department_id, title=title, body=body, created_at=clock.now())
    ).returning(ReplyTemplate.id)
    template_id: int = rows[0]["id"]
    return template_id


async def _department_of(template_id: int) -> int:
    row = (
        await ReplyTemplate.select(ReplyTemplate.department)
        .where(ReplyTemplate.id == template_id)
        .first()
    )
    if row is None:
        raise NotFound(N_("Templat tidak ditemukan."), field="template")
    department_id: int = row["department"]
    return department_id


async def update(*, template_id: int, title: str, body: str, actor: Actor) -> None:
    _may_edit(actor, await _department_of(template_id))
    title, body = _checked(title, body)
    await ReplyTemplate.update({ReplyTemplate.title: title, ReplyTemplate.body: body}).where(
        ReplyTemplate.id == template_id
    )


async def remove(*, template_id: int, actor: Actor) -> None:
    _may_edit(actor, await _department_of(template_id))
    await ReplyTemplate.delete().where(ReplyTemplate.id == template_id)


def fill(body: str, *, tracking_code: str, department: str, due_at: datetime | None) -> str:
    """The body with its placeholders replaced by the report's values."""
    values = {
        "kode": tracking_code,
        "dinas": department,
        "tenggat": format_datetime(
            _TEMPLATE_LANGUAGE,
            due_at.astimezone(settings.current().tz),
            format=DEADLINE_FORMAT,
        )
        if due_at
        else NO_DEADLINE,
    }
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), body)


async def for_report(
    *, department_id: int, tracking_code: str, due_at: datetime | None
) -> list[SavedReply]:
    """The department's templates, filled in for one of its reports."""
    department = (
        await Department.select(Department.short_name).where(Department.id == department_id).first()
    )
    name = department["short_name"] if department else ""
    return [
        SavedReply(
            id=saved.id,
            title=saved.title,
            body=fill(saved.body, tracking_code=tracking_code, department=name, due_at=due_at),
        )
        for saved in await for_department(department_id)
    ]
