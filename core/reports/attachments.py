"""Photos that come with a report. Telegram stores the files; a report keeps their file ids."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from core import clock
from core.errors import InvalidInput
from core.reports.models import Attachment
from db.tables import ReportAttachment
from i18n import N_

MAX_PHOTOS = 5
# Telegram file ids are opaque and under 200 characters in practice.
_MAX_FILE_ID = 255


async def add_telegram_photos(*, report_id: int, file_ids: Sequence[str]) -> None:
    if len(file_ids) > MAX_PHOTOS:
        raise InvalidInput(
            N_("Paling banyak %(max_photos)s foto per laporan."),
            max_photos=MAX_PHOTOS,
            field="photos",
        )
    if any(not file_id or len(file_id) > _MAX_FILE_ID for file_id in file_ids):
        raise InvalidInput(N_("Foto tidak valid."), field="photos")
    moment = clock.now()
    await ReportAttachment.insert(
        *(
            ReportAttachment(
                report=report_id, kind="telegram_photo", file_id=file_id, created_at=moment
            )
            for file_id in file_ids
        )
    )


async def report_attachments(*, report_id: int) -> list[Attachment]:
    """What officers are shown: the kind and Telegram file id of each photo, oldest first."""
    rows = (
        await ReportAttachment.select(ReportAttachment.kind, ReportAttachment.file_id)
        .where(ReportAttachment.report == report_id)
        .order_by(ReportAttachment.id)
    )
    return msgspec.convert(rows, list[Attachment])
