"""Photos that come with a report. Telegram stores the files; a report keeps their file ids."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from core import clock
from core.errors import InvalidInput
from core.reports.models import Attachment
from db.tables import ReportAttachment

MAX_PHOTOS = 5
# Telegram file ids are opaque and under 200 characters in practice.
_MAX_FILE_ID = 255


async def add_telegram_photos(*, report_id: int, file_ids: Sequence[str]) -> None:
    if len(file_ids) > MAX_PHOTOS:
        raise InvalidInput(
            f"Paling banyak {MAX_PHOTOS} foto per laporan.",
            f"At most {MAX_PHOTOS} photos per report.",
            field="photos",
        )
    if any(not file_id or len(file_id) > _MAX_FILE_ID for file_id in file_ids):
        raise InvalidInput("Foto tidak valid.", "Invalid photo.", field="photos")
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
