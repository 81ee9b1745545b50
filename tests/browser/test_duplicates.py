"""Duplicates in a real browser: a citizen joins the case their web report repeats ("Saya juga
mengalami ini"), an officer merges a duplicate from the report page's button, and a head marks
a selection of the queue as duplicates of one case."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import httpx
import pytest
from playwright.async_api import Page, expect

from db.tables import Report
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.slow

POTHOLE = "Jalan berlubang besar di Jl. Soekarno Hatta depan Polinema, motor sering jatuh"
AGAIN = "Jl. Soekarno Hatta depan Polinema berlubang besar, motor sering jatuh di situ"
THIRD = "Lubang besar, jalan berlubang di Jl. Soekarno Hatta depan Polinema, motor jatuh"


async def _report(base: str, text: str) -> str:
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.post("/api/v1/reports", json={"text": text})
    assert response.status_code == 201, response.text
    code: str = response.json()["tracking_code"]
    return code


async def test_a_citizen_joins_a_case_and_an_officer_merges_a_duplicate(
    live_app: str,
    page: Page,
    staff: Callable[..., Awaitable[str]],
    screenshot: Callable[[Page, str], Awaitable[None]],
    audit: Callable[[Page, str, str], Awaitable[None]],
) -> None:
    case = await _report(live_app, POTHOLE)

    await page.goto("/")
    await page.fill("#text", AGAIN)
    await page.click("#lapor button.primary")
    await expect(page).to_have_url(re.compile(r"/lacak/MLG-[A-Z0-9]{6}\?baru=1$"))
    mine = await page.locator("#tracking-code").inner_text()
    await expect(page.locator("#possible-case")).to_contain_text(case)
    await screenshot(page, "join-offer")
    await page.click("#join-case")
    await expect(page).to_have_url(re.compile(rf"/lacak/{mine}$"))
    await expect(page.locator(".flash-ok")).to_contain_text("digabungkan")
    await expect(page.locator("#merged-into")).to_contain_text(case)
    await page.goto(f"/lacak/{case}")
    await expect(page.locator("#reporters")).to_contain_text("2 warga")

    duplicate = await _report(live_app, THIRD)
    await staff("dina", "officer", "DPUPRPKP")
    await sign_in(page, "dina")
    await audit(page, f"/officer/reports/{duplicate}", "officer-possible-duplicates")
    await page.goto(f"/officer/reports/{duplicate}")
    merge = page.locator(".merge-form", has=page.locator(f"input[value='{case}']"))
    await expect(merge).to_be_visible()
    await merge.locator("button").click()  # the browser asks for the confirmation first
    await expect(page).to_have_url(re.compile(rf"/officer/reports/{duplicate}$"))
    assert (
        await Report.select(Report.status).where(Report.tracking_code == duplicate).first()
    ) == {"status": "open"}
    await merge.locator("input[name=confirm]").check()
    await merge.locator("button").click()
    await expect(page.locator("#merged-note")).to_contain_text(case)
    await expect(page.locator(".flash-ok")).to_contain_text(duplicate)
    await screenshot(page, "officer-merged")
    await page.goto(f"/officer/reports/{case}")
    await expect(page.locator("#reporters")).to_contain_text("3 warga")
    await audit(page, f"/lacak/{mine}", "public-merged-report")


async def test_a_head_marks_two_reports_of_the_queue_as_duplicates_of_a_third(
    live_app: str,
    page: Page,
    staff: Callable[..., Awaitable[str]],
    screenshot: Callable[[Page, str], Awaitable[None]],
    audit: Callable[[Page, str, str], Awaitable[None]],
) -> None:
    case = await _report(live_app, POTHOLE)
    first, second = await _report(live_app, AGAIN), await _report(live_app, THIRD)
    await staff("kepala", "head", "DPUPRPKP")
    await sign_in(page, "kepala")
    await audit(page, "/officer", "head-queue-bulk-forms")
    await page.goto("/officer")
    for code in (first, second, case):  # the case itself too, by mistake
        await page.locator(f"tr[data-code='{code}'] input[name=codes]").check()
    merge = page.locator("#bulk-merge")
    await merge.locator("input[name=into]").fill(case.lower())
    await merge.locator("button").click()  # the browser asks for the confirmation first
    await expect(page).to_have_url(re.compile(r"/officer$"))
    assert await Report.count().where(Report.status == "merged") == 0
    await merge.locator("input[name=confirm]").check()
    await screenshot(page, "head-bulk-merge")
    await merge.locator("button").click()
    await expect(page).to_have_url(re.compile(r"/officer$"))
    for code in (first, second):
        await expect(page.locator(".flash-ok", has_text=code)).to_contain_text(
            f"Laporan {code} digabungkan ke {case}."
        )
        await expect(page.locator(f"tr[data-code='{code}']")).to_have_count(0)
    await expect(page.locator(".flash-error")).to_have_text(
        f"{case}: Laporan tidak dapat digabungkan dengan dirinya sendiri."
    )
    await expect(page.locator(f"tr[data-code='{case}']")).to_be_visible()
    await screenshot(page, "head-bulk-merged")
    await page.goto(f"/officer/reports/{case}")
    await expect(page.locator("#reporters")).to_contain_text("3 warga")
