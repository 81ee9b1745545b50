"""A citizen without Telegram: send a report from the public page and track it."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import pytest
from playwright.async_api import Page, expect

from core.reports.lifecycle import STATUS_NAMES
from db.tables import Report
from i18n import gettext
from tests.helpers import perform

pytestmark = pytest.mark.slow


async def test_a_citizen_submits_and_tracks_a_report(
    live_app: str, page: Page, screenshot: Callable[[Page, str], Awaitable[None]]
) -> None:
    await page.goto("/")
    await screenshot(page, "public-home")

    await page.fill("#text", "pendek")
    await page.click("#lapor button.primary")
    await expect(page.locator("[data-field=text]")).to_be_visible()
    await expect(page.locator("#text")).to_have_value("pendek")

    await page.fill("#text", "Lampu PJU di Jl. Ijen mati sejak seminggu, gelap sekali malam hari")
    await page.fill("#address", "Jl. Ijen, Klojen")
    await expect(page.locator("#stance")).to_have_value("")  # no stance unless one is chosen
    await page.click("#lapor button.primary")
    await expect(page).to_have_url(re.compile(r"/lacak/MLG-[A-Z0-9]{6}\?baru=1$"))
    code = await page.locator("#tracking-code").inner_text()
    await expect(page.locator("#received")).to_contain_text(code)
    await expect(page.locator("#status")).to_have_text(gettext("id", STATUS_NAMES["triage"]))
    await screenshot(page, "public-track")
    stored = (
        await Report.select(Report.channel, Report.address)
        .where(Report.tracking_code == code)
        .first()
    )
    assert stored == {"channel": "web", "address": "Jl. Ijen, Klojen"}
    stance = await Report.select(Report.stance).where(Report.tracking_code == code).first()
    assert stance == {"stance": None}

    # Tracking by a code typed loosely, then reading it in English.
    await page.goto("/")
    await page.fill("#kode", code.lower().replace("-", " "))
    await page.click("form[role=search] button")
    await expect(page).to_have_url(re.compile(f"/lacak/{code}$"))
    await expect(page.locator("#timeline li")).to_have_count(1)
    await page.click("a[href^='/bahasa/en']")
    await expect(page.locator("#status")).to_have_text(gettext("en", STATUS_NAMES["triage"]))
    await expect(page).to_have_url(re.compile(f"/lacak/{code}$"))
    await screenshot(page, "public-track-english")


async def test_a_citizen_confirms_and_rates_the_answer_with_the_key_from_the_page(
    live_app: str, page: Page, screenshot: Callable[[Page, str], Awaitable[None]]
) -> None:
    await page.goto("/")
    await page.fill("#text", "Got depan rumah di Jl. Bunga Andong mampet, air meluap tiap hujan")
    await page.click("#lapor button.primary")
    await expect(page.locator("#follow-up-key")).to_be_visible()
    shown = re.search(
        r"([A-Z0-9]{5})-([A-Z0-9]{5})", await page.locator("#follow-up-key").inner_text()
    )
    assert shown
    code = await page.locator("#tracking-code").inner_text()
    await page.reload()
    await expect(page.locator("#follow-up-key")).to_have_count(0)  # shown once only

    status = (await Report.select(Report.status).where(Report.tracking_code == code).first())[
        "status"
    ]
    for action in (["route"] if status == "triage" else []) + ["acknowledge", "resolve"]:
        await perform(action, code)
    await page.reload()
    await expect(page.locator("#status")).to_have_text(gettext("id", STATUS_NAMES["resolved"]))
    confirm = page.locator("form[action$='/selesai']")
    await confirm.locator("input[name=key]").fill("AAAAA-AAAAA")
    await confirm.locator("button").click()
    await expect(page.locator("#follow-up-error")).to_be_visible()

    confirm = page.locator("form[action$='/selesai']")
    await confirm.locator("input[name=key]").fill(f"{shown.group(1)}-{shown.group(2)}")
    await confirm.locator("select[name=rating]").select_option("4")
    await confirm.locator("button").click()
    await expect(page.locator("#status")).to_have_text(gettext("id", STATUS_NAMES["closed"]))
    await expect(page.locator(".flash-ok")).to_contain_text(
        gettext("id", "Terima kasih. Laporan ditutup dengan konfirmasi Anda.")
    )
    await expect(page.locator("#rating")).to_have_text("★★★★")
    await screenshot(page, "public-confirmed")
    stored = await Report.select(Report.rating).where(Report.tracking_code == code).first()
    assert stored == {"rating": 4}
