"""Photos that come with a report, up to MAX_PHOTOS on every channel.

- Telegram: Telegram stores the files; a report keeps their file ids.
- The web form: each image is checked (JPEG, PNG or WebP, at most MAX_PHOTO_BYTES, at most
  MAX_PIXELS so a decompression bomb never unpacks), re-encoded with Pillow without any
  metadata (EXIF with its GPS position, XMP, comments), and stored in the database, where every
  replica can serve it.

Who sees a stored photo: the department's staff always; the public (the tracking page, the
public API, Open311's media_url) only as core.reports.disclosure.photos_published allows.
"""

from __future__ import annotations

import asyncio
import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
from PIL import Image, ImageOps, UnidentifiedImageError

from core import clock
from core.errors import InvalidInput, NotFound
from core.reports.disclosure import photos_published
from core.reports.models import Attachment, StoredPhoto
from core.reports.tracking import normalize_code
from core.staff.actors import Actor
from core.staff.permissions import may_act_on_department
from db.tables import Report, ReportAttachment
from i18n import N_

MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# 50 megapixels: more than a phone camera's default; a bigger image is refused before it is
# decoded (a small file can unpack to gigabytes).
MAX_PIXELS = 50_000_000
# Stored images are scaled down to this many pixels on their longer side: enough to see a
# pothole, small enough that five of them sit well in the database.
MAX_SIDE = 2560
PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
WEB_PHOTO = "web_photo"
TELEGRAM_PHOTO = "telegram_photo"
# Telegram file ids are opaque and under 200 characters in practice.
_MAX_FILE_ID = 255
_JPEG_QUALITY = 85


def too_many_photos() -> InvalidInput:
    return InvalidInput(
        N_("Paling banyak %(max_photos)s foto per laporan."),
        max_photos=MAX_PHOTOS,
        field="photos",
    )


def public_photo_path(tracking_code: str, number: int) -> str:
    """Where anyone may fetch photo `number` (from 1) of a report whose photos are published."""
    return f"/lacak/{tracking_code}/foto/{number}"


def staff_photo_path(tracking_code: str, number: int) -> str:
    """Where the department's staff fetch photo `number` (from 1) of a report."""
    return f"/officer/reports/{tracking_code}/photos/{number}"


def _not_an_image(number: int) -> InvalidInput:
    return InvalidInput(
        N_("Foto %(number)s bukan gambar JPEG, PNG atau WebP."), number=number, field="photos"
    )


def _too_many_pixels(number: int) -> InvalidInput:
    return InvalidInput(
        N_("Foto %(number)s terlalu besar (paling banyak %(megapixels)s megapiksel)."),
        number=number,
        megapixels=MAX_PIXELS // 1_000_000,
        field="photos",
    )


def _clean_image(data: bytes, number: int) -> StoredPhoto:
    """The image in `data` re-encoded in its own format with no metadata at all."""
    if len(data) > MAX_PHOTO_BYTES:
        raise InvalidInput(
            N_("Foto %(number)s lebih dari %(max_mb)s MB."),
            number=number,
            max_mb=MAX_PHOTO_BYTES // (1024 * 1024),
            field="photos",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(PHOTO_TYPES)) as opened:
                image_format = opened.format or ""
                width, height = opened.size
                if width * height > MAX_PIXELS:
                    raise _too_many_pixels(number)
                if image_format == "JPEG":
                    opened.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decodes a scaled-down JPEG
                # Turned upright as the camera meant it, since its orientation tag goes too.
                image = ImageOps.exif_transpose(opened)
                image.load()
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(number) from None
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
    ):
        raise _not_an_image(number) from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    image.info = {}  # EXIF, XMP, comments, ICC: nothing of the original file is written
    options: dict[str, Any] = {}
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        options = {"quality": _JPEG_QUALITY, "optimize": True}
    elif image_format == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode else "RGB")
        options = {"quality": _JPEG_QUALITY}
    elif image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
        image = image.convert("RGBA")
    out = io.BytesIO()
    image.save(out, format=image_format, **options)
    return StoredPhoto(content_type=PHOTO_TYPES[image_format], data=out.getvalue())


async def clean_photos(files: Sequence[bytes]) -> list[StoredPhoto]:
    """The web form's photos, each checked and re-encoded without metadata; an empty file (a
    file field left empty) is skipped. Refuses the lot, naming the photo, when one is wrong."""
    given = [data for data in files if data]
    if len(given) > MAX_PHOTOS:
        raise too_many_photos()
    return [
        await asyncio.to_thread(_clean_image, data, number)
        for number, data in enumerate(given, start=1)
    ]


async def add_telegram_photos(*, report_id: int, file_ids: Sequence[str]) -> None:
    if len(file_ids) > MAX_PHOTOS:
        raise too_many_photos()
    if any(not file_id or len(file_id) > _MAX_FILE_ID for file_id in file_ids):
        raise InvalidInput(N_("Foto tidak valid."), field="photos")
    moment = clock.now()
    await ReportAttachment.insert(
        *(
            ReportAttachment(
                report=report_id, kind=TELEGRAM_PHOTO, file_id=file_id, created_at=moment
            )
            for file_id in file_ids
        )
    )


async def add_stored_photos(*, report_id: int, photos: Sequence[StoredPhoto]) -> None:
    """Store checked photos (from clean_photos) with their report, in its transaction."""
    if len(photos) > MAX_PHOTOS:
        raise too_many_photos()
    if not photos:
        return
    moment = clock.now()
    await ReportAttachment.insert(
        *(
            ReportAttachment(
                report=report_id,
                kind=WEB_PHOTO,
                file_id="",
                content_type=photo.content_type,
                data=photo.data,
                created_at=moment,
            )
            for photo in photos
        )
    )


async def report_attachments(*, report_id: int) -> list[Attachment]:
    """What officers are shown: each photo's kind, number and Telegram file id, oldest first."""
    rows = (
        await ReportAttachment.select(ReportAttachment.kind, ReportAttachment.file_id)
        .where(ReportAttachment.report == report_id)
        .order_by(ReportAttachment.id)
    )
    return [
        msgspec.convert({**row, "number": number}, Attachment)
        for number, row in enumerate(rows, start=1)
    ]


async def stored_photo_numbers(*, report_id: int) -> list[int]:
    """The numbers of the report's photos kept in the database (from the web form)."""
    return [
        attachment.number
        for attachment in await report_attachments(report_id=report_id)
        if attachment.kind == WEB_PHOTO
    ]


@dataclass(frozen=True)
class FirstPhoto:
    report_id: int
    number: int


async def first_stored_photos(*, report_ids: Sequence[int]) -> list[FirstPhoto]:
    """The first photo kept in the database of each of these reports that has one."""
    if not report_ids:
        return []
    rows = (
        await ReportAttachment.select(ReportAttachment.report, ReportAttachment.kind)
        .where(ReportAttachment.report.is_in(list(report_ids)))
        .order_by(ReportAttachment.id)
    )
    counted: dict[int, int] = {}
    first: dict[int, int] = {}
    for row in rows:
        number = counted[row["report"]] = counted.get(row["report"], 0) + 1
        if row["kind"] == WEB_PHOTO and row["report"] not in first:
            first[row["report"]] = number
    return [FirstPhoto(report_id=report, number=number) for report, number in first.items()]


async def _photo(tracking_code: str, number: int) -> tuple[dict[str, Any], StoredPhoto]:
    code = normalize_code(tracking_code)
    report = (
        await Report.select(Report.id, Report.department, Report.anonymous, Report.confidential)
        .where(Report.tracking_code == code)
        .first()
        if code
        else None
    )
    missing = NotFound(N_("Foto tidak ditemukan."), field="photo")
    if report is None or not 1 <= number <= MAX_PHOTOS:
        raise missing
    rows = (
        await ReportAttachment.select(ReportAttachment.id, ReportAttachment.kind)
        .where(ReportAttachment.report == report["id"])
        .order_by(ReportAttachment.id)
    )
    if number > len(rows) or rows[number - 1]["kind"] != WEB_PHOTO:
        raise missing
    photo = (
        await ReportAttachment.select(ReportAttachment.content_type, ReportAttachment.data)
        .where(ReportAttachment.id == rows[number - 1]["id"])
        .first()
    )
    if photo is None:
        raise missing
    return report, StoredPhoto(content_type=photo["content_type"], data=bytes(photo["data"]))


async def public_photo(*, tracking_code: str, number: int) -> StoredPhoto:
    """Photo `number` of a report whose photos are published; not found otherwise, so the
    answer says nothing about whether a hidden report has photos."""
    report, photo = await _photo(tracking_code, number)
    if not photos_published(report):
        raise NotFound(N_("Foto tidak ditemukan."), field="photo")
    return photo


async def staff_photo(*, tracking_code: str, number: int, actor: Actor) -> StoredPhoto:
    """Photo `number` of a report, for staff who may read the report's department."""
    report, photo = await _photo(tracking_code, number)
    if not may_act_on_department(actor, report["department"]):
        raise NotFound(N_("Foto tidak ditemukan."), field="photo")
    return photo
