"""The maps with the base tiles unreachable (offline): each says so and still works. The
tile server is cut off in the browser, so nothing depends on this machine's network."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import pytest
from playwright.async_api import Page, expect

from core.reports.intake import Location
from db.tables import Report
from tests.browser.conftest import sign_in
from tests.helpers import report_in

pytestmark = pytest.mark.slow

TEXT = "Lampu PJU di Jl. Ijen mati sejak seminggu, gelap sekali malam hari"
OFFLINE = "Peta dasar tidak dapat dimuat"


async def _offline(page: Page) -> None:
    await page.route(re.compile(r"tile\.openstreetmap\.org"), lambda route: route.abort())


async def test_a_citizen_picks_a_point_on_the_map_without_tiles(
    live_app: str, page: Page, screenshot: Callable[[Page, str], Awaitable[None]]
) -> None:
    await _offline(page)
    await page.goto("/")
    await expect(page.locator("[data-map-offline]")).to_contain_text(OFFLINE)
    await expect(page.locator("[data-map=pick]")).to_have_attribute("data-ready", "1")

    # Outside the city, typed: refused, naming where to report instead.
    await page.fill("#text", TEXT)
    await page.fill("#latitude", "-7.8713")
    await page.fill("#longitude", "112.5269")
    await page.click("#lapor button.primary")
    await expect(page.locator("[data-field=location]")).to_contain_text("Pemerintah Kota Batu")
    await screenshot(page, "map-pick-refused")

    # The refused point is kept on the map, for the citizen to correct.
    await expect(page.locator("[data-map=pick] .leaflet-marker-icon")).to_have_count(1)

    # A fresh form's map opens on the city centre: a click there picks a point in Klojen.
    await page.goto("/")
    await page.fill("#text", TEXT)
    await page.locator("[data-map=pick]").click()
    await expect(page.locator("#latitude")).to_have_value(re.compile(r"^-7\.9\d+$"))
    await expect(page.locator("[data-map=pick] .leaflet-marker-icon")).to_have_count(1)
    await screenshot(page, "map-pick")
    await page.click("#lapor button.primary")
    await expect(page).to_have_url(re.compile(r"/lacak/MLG-[A-Z0-9]{6}\?baru=1$"))
    code = await page.locator("#tracking-code").inner_text()
    stored = await Report.select(Report.kecamatan).where(Report.tracking_code == code).first()
    assert stored == {"kecamatan": "Klojen"}

    # Its public page shows the point, and says the base map is missing.
    await expect(page.locator("[data-map=point]")).to_have_attribute("data-ready", "1")
    await expect(page.locator("[data-map-offline]")).to_be_visible()
    await expect(page.locator("[data-map=point] path.leaflet-interactive")).to_have_count(1)


async def test_the_department_map_without_tiles(
    live_app: str,
    page: Page,
    staff: Callable[..., Awaitable[str]],
    screenshot: Callable[[Page, str], Awaitable[None]],
) -> None:
    report = await report_in("open", location=Location(-8.0140, 112.6280))
    await staff("dina", "officer", "DPUPRPKP")
    await _offline(page)
    await sign_in(page, "dina")
    await page.goto("/officer/peta")
    await expect(page.locator("[data-map-offline]")).to_be_visible()
    marker = page.locator("[data-map=reports] path.leaflet-interactive")
    await expect(marker).to_have_count(1)
    await marker.click()
    popup = page.locator(".leaflet-popup-content a")
    await expect(popup).to_have_text(report.tracking_code)
    await screenshot(page, "officer-map")
    await popup.click()
    await expect(page).to_have_url(re.compile(f"/officer/reports/{report.tracking_code}$"))
    await expect(page.locator("[data-map=point] path.leaflet-interactive")).to_have_count(1)
