"""A head gives a report to an officer, who finds it under "Laporan saya" and keeps an
internal note on it that the citizen's tracking page never shows: in a real browser."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.slow

POTHOLE = "Jalan berlubang dalam di Jl. Veteran depan Matos, sudah dua motor jatuh"
OTHER = "Aspal berlubang di Jl. Sukarno Hatta dekat UB, bahaya untuk pengendara"
NOTE = "Sudah dicek ke lokasi: perlu alat berat, koordinasi dengan bidang jalan."


async def _report(base: str, text: str) -> str:
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.post("/api/v1/reports", json={"text": text})
    assert response.status_code == 201, response.text
    assert response.json()["department"]["code"] == "DPUPRPKP"
    code: str = response.json()["tracking_code"]
    return code


async def test_a_head_assigns_and_the_officer_finds_it_and_notes_it(
    live_app: str,
    page: Page,
    staff: Callable[..., Awaitable[str]],
    screenshot: Callable[[Page, str], Awaitable[None]],
) -> None:
    await staff("kepala", "head", "DPUPRPKP")
    await staff("dina", "officer", "DPUPRPKP")
    code = await _report(live_app, POTHOLE)
    other = await _report(live_app, OTHER)

    await sign_in(page, "kepala")
    await page.goto(f"/officer/reports/{code}")
    assignment = page.locator("#assignment")
    await assignment.locator("select[name=officer]").select_option("dina")
    await assignment.locator("button").click()
    await expect(page.locator(".flash-ok")).to_contain_text("dina")
    await expect(page.locator("#assignment [data-assignee]")).to_have_attribute(
        "data-assignee", "dina"
    )
    await expect(page.locator("li[data-event=assigned]")).to_contain_text("dina")
    await screenshot(page, "head-assigned")
    await page.goto("/head")
    await expect(page.locator("tr[data-username=dina] [data-load=assigned]")).to_have_text("1")
    await page.click("form[action='/logout'] button")

    await sign_in(page, "dina")
    await expect(page.locator(f"tr[data-code='{other}']")).to_be_visible()
    await page.locator("select[name=assigned]").select_option("me")
    await expect(page).to_have_url(re.compile(r"/officer\?.*assigned=me"))
    await expect(page.locator(f"tr[data-code='{other}']")).to_have_count(0)
    mine = page.locator(f"tr[data-code='{code}']")
    await expect(mine.locator("[data-assignee]")).to_have_text(re.compile("dina"))
    await screenshot(page, "officer-my-reports")

    await mine.locator("a.code").click()
    notes = page.locator("#notes")
    await notes.locator("textarea").fill(NOTE)
    await notes.locator("button").click()
    await expect(page.locator(".flash-ok")).to_be_visible()
    await expect(page.locator("li[data-event=noted]")).to_contain_text(NOTE)
    await screenshot(page, "officer-internal-note")

    await page.goto(f"/lacak/{code}")
    await expect(page.locator("#timeline")).to_be_visible()
    await expect(page.locator("body")).not_to_contain_text("alat berat")
    await expect(page.locator("#timeline")).not_to_contain_text("dina")  # nor who carries it
