"""A citizen attaches photos to a report through the real form, in Chromium."""

from __future__ import annotations

import io
import re
from collections.abc import Awaitable, Callable

import pytest
from PIL import Image
from playwright.async_api import Page, expect

from db.tables import Report, ReportAttachment
from tests.pages.test_photos import GPS_IFD, jpeg_with_gps

pytestmark = pytest.mark.slow

TEXT = "Trotoar di Jl. Veteran ambles, lubangnya dalam dan tidak diberi tanda"


async def test_a_citizen_sends_a_photo_and_sees_it_without_its_gps(
    live_app: str, page: Page, screenshot: Callable[[Page, str], Awaitable[None]]
) -> None:
    await page.goto("/")
    await page.fill("#text", TEXT)
    await page.fill("#address", "Jl. Veteran, Lowokwaru")
    # Too many: the page says so before anything is sent.
    photo = jpeg_with_gps()
    six = [{"name": f"{n}.jpg", "mimeType": "image/jpeg", "buffer": photo} for n in range(6)]
    await page.set_input_files("#photos", files=six)
    await page.click("#lapor button.primary")
    await expect(page.locator("[data-field=photos][data-client]")).to_have_text(
        "Paling banyak 5 foto per laporan."
    )
    await expect(page).to_have_url(re.compile(r"/$"))
    # Not a photo: refused by name, what was typed stays.
    await page.set_input_files(
        "#photos", files=[{"name": "surat.pdf", "mimeType": "application/pdf", "buffer": b"%PDF"}]
    )
    await page.click("#lapor button.primary")
    await expect(page.locator("[data-field=photos]")).to_contain_text("Foto 1 bukan gambar")
    await expect(page.locator("#text")).to_have_value(TEXT)
    await expect(page.locator("#address")).to_have_value("Jl. Veteran, Lowokwaru")
    await screenshot(page, "public-photo-refused")

    await page.set_input_files(
        "#photos",
        files=[{"name": "trotoar.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}],
    )
    await page.click("#lapor button.primary")
    await expect(page).to_have_url(re.compile(r"/lacak/MLG-[A-Z0-9]{6}\?baru=1$"))
    code = await page.locator("#tracking-code").inner_text()
    photo = page.locator("#photos img")
    await expect(photo).to_have_count(1)
    await photo.scroll_into_view_if_needed()
    await expect(photo).to_have_js_property("complete", True)
    assert await photo.evaluate("img => img.naturalWidth") == 64  # served and decoded
    await screenshot(page, "public-track-photo")

    report = await Report.select(Report.id).where(Report.tracking_code == code).first()
    (stored,) = await ReportAttachment.select(ReportAttachment.data).where(
        ReportAttachment.report == report["id"]
    )
    kept = Image.open(io.BytesIO(bytes(stored["data"])))
    assert not kept.getexif() and not kept.getexif().get_ifd(GPS_IFD)
