"""Officers and verifiers at work, in a real browser against the real app."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import httpx
import pytest
from playwright.async_api import Page, expect

from core.reports.lifecycle import STATUS_NAMES
from db.tables import Department, OutboxMessage, Report, TrainingExample
from i18n import gettext
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.slow

POTHOLE = "Jalan berlubang dalam di Jl. Veteran depan Matos, sudah dua motor jatuh"
RUBBISH = "Tumpukan sampah di pinggir Kali Brantas dekat Jembatan Muharto belum diangkut"


async def _report_through_api(base: str, text_: str) -> dict:
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.post(
            "/api/v1/reports",
            json={"text": text_, "reporter": {"name": "Budi", "phone": "081234567890"}},
        )
    assert response.status_code == 201, response.text
    return response.json()


async def test_officer_acknowledges_and_resolves_a_report_from_the_api(
    live_app: str,
    page: Page,
    staff: Callable[..., Awaitable[str]],
    screenshot: Callable[[Page, str], Awaitable[None]],
) -> None:
    await staff("dina", "officer", "DPUPRPKP")
    created = await _report_through_api(live_app, POTHOLE)
    code = created["tracking_code"]
    assert created["department"]["code"] == "DPUPRPKP"
    other = await _report_through_api(live_app, "Aspal berlubang di Jl. Sukarno Hatta dekat UB")

    await sign_in(page, "dina")
    assert page.url.endswith("/officer")
    row = page.locator(f"tr[data-code='{code}']")
    await expect(row).to_be_visible()
    await expect(page.locator(f"tr[data-code='{other['tracking_code']}']")).to_be_visible()
    await screenshot(page, "officer-queue")

    # Filtering swaps the list in place (htmx) and keeps the filter in the address.
    await page.fill("input[name=q]", "Veteran")
    await page.press("input[name=q]", "Enter")
    await expect(page.locator(f"tr[data-code='{other['tracking_code']}']")).to_have_count(0)
    await expect(page).to_have_url(re.compile(r"/officer\?.*q=Veteran"))
    await expect(row).to_be_visible()

    await row.locator("a.code").click()
    await expect(page.locator("h1")).to_contain_text(code)
    await screenshot(page, "officer-report")
    await page.locator("details[data-action=acknowledge] button").click()
    await expect(page.locator(".flash-ok")).to_contain_text(code)
    await expect(page.locator("h1 .badge").first).to_have_text(
        gettext("id", STATUS_NAMES["in_progress"])
    )

    resolve = page.locator("details[data-action=resolve]")
    await resolve.locator("summary").click()
    await resolve.locator("textarea").fill("Lubang sudah ditambal aspal hari ini.")
    await resolve.locator("button").click()
    await expect(page.locator("h1 .badge").first).to_have_text(
        gettext("id", STATUS_NAMES["resolved"])
    )
    await expect(page.locator(".timeline")).to_contain_text("Lubang sudah ditambal aspal hari ini.")
    await screenshot(page, "officer-report-resolved")

    report = (
        await Report.select(Report.id, Report.status).where(Report.tracking_code == code).first()
    )
    assert report["status"] == "resolved"
    queued = await OutboxMessage.select(OutboxMessage.template, OutboxMessage.status).where(
        (OutboxMessage.report == report["id"]) & (OutboxMessage.channel == "citizen")
    )
    assert {"acknowledged", "resolved"} <= {message["template"] for message in queued}
    assert all(message["status"] == "pending" for message in queued)


async def test_an_officer_of_another_department_is_refused_page_and_json(
    live_app: str,
    page: Page,
    staff: Callable[..., Awaitable[str]],
    screenshot: Callable[[Page, str], Awaitable[None]],
) -> None:
    await staff("lina", "officer", "DLH")
    code = (await _report_through_api(live_app, POTHOLE))["tracking_code"]

    await sign_in(page, "lina")
    response = await page.goto(f"/officer/reports/{code}")
    assert response is not None and response.status == 403
    await expect(page.locator(".error-message")).to_have_text(
        gettext("id", "Akses ditolak: halaman ini bukan untuk peran atau perangkat daerah Anda.")
    )
    await expect(page.locator("body")).not_to_contain_text(POTHOLE)
    await screenshot(page, "officer-forbidden")

    api = await page.request.get(f"/api/v1/staff/reports/{code}")
    assert api.status == 403
    assert (await api.json())["status_code"] == 403
    acting = await page.request.post(
        f"/api/v1/staff/reports/{code}/acknowledge", data={"note": None}
    )
    assert acting.status == 403
    status = await Report.select(Report.status).where(Report.tracking_code == code).first()
    assert status["status"] == "open"


async def test_a_verifier_routes_a_triage_item_with_one_click(
    live_app: str,
    page: Page,
    staff: Callable[..., Awaitable[str]],
    screenshot: Callable[[Page, str], Awaitable[None]],
) -> None:
    await staff("vera", "verifier")
    code = (await _report_through_api(live_app, RUBBISH))["tracking_code"]

    await sign_in(page, "vera")
    assert page.url.endswith("/verifier")
    item = page.locator(f"#item-{code}")
    await expect(item.locator("button[data-suggestion]")).to_have_count(3)
    await screenshot(page, "verifier-triage")

    await item.locator("button[data-suggestion=DLH]").click()
    done = page.locator(f"#item-{code}[data-done]")
    await expect(done).to_contain_text("Dinas Lingkungan Hidup")
    assert page.url.endswith("/verifier")  # swapped in place, no page load
    await screenshot(page, "verifier-routed")

    dlh = await Department.select(Department.id).where(Department.code == "DLH").first()
    report = (
        await Report.select(Report.id, Report.status, Report.department)
        .where(Report.tracking_code == code)
        .first()
    )
    assert (report["status"], report["department"]) == ("open", dlh["id"])
    learned = await TrainingExample.select(TrainingExample.department_code).where(
        TrainingExample.report == report["id"]
    )
    assert learned == [{"department_code": "DLH"}]
    await page.reload()
    await expect(page.locator(f"#item-{code}")).to_have_count(0)


async def test_every_staff_page_renders(
    live_app: str,
    page: Page,
    staff: Callable[..., Awaitable[str]],
    screenshot: Callable[[Page, str], Awaitable[None]],
) -> None:
    """One look across pages, on a phone-sized screen too; a screenshot of each."""
    await staff("admin", "admin")
    await staff("kepala", "head", "DPUPRPKP")
    await _report_through_api(live_app, POTHOLE)
    await _report_through_api(live_app, RUBBISH)
    await sign_in(page, "kepala")
    await expect(page.locator("h1")).to_contain_text("Dinas Pekerjaan Umum")
    await screenshot(page, "head-overview")
    await page.click("form[action='/logout'] button")
    await sign_in(page, "admin")
    for path, name in (
        ("/admin", "admin-users"),
        ("/admin/departments", "admin-departments"),
        ("/admin/policies", "admin-policies"),
        ("/officer", "officer-pick-department"),
        ("/kebijakan", "public-policies"),
        ("/lacak", "public-track-form"),
    ):
        response = await page.goto(path)
        assert response is not None and response.status == 200, path
        await expect(page.locator("header.top")).to_be_visible()
        await screenshot(page, name)
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto("/verifier")
    await screenshot(page, "verifier-phone")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing forces sideways scrolling on a phone
    await page.click("form[action='/logout'] button")
    await page.goto("/login")
    await screenshot(page, "login")
