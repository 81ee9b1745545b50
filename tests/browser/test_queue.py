"""An officer's day in the queue, in a real browser: an urgent new report above months-old
overdue ones, sorting, the way back keeping the filters, rejecting with a confirmation (no
resubmission on reload), the archive, and a report re-routed away read-only. The app's clock
and the test's are pinned to the same moment."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import Page, expect

from core import clock
from db.tables import Report
from tests.browser.conftest import sign_in
from tests.helpers import report_in

pytestmark = pytest.mark.slow

# Monday 30 November 2026, 09:00 in Malang: the app's clock too (tests/browser/conftest.py).
APP_NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def pinned() -> Iterator[None]:
    with clock.frozen_at(APP_NOW):
        yield


async def _open(text: str, **values: object) -> str:
    code = (await report_in("open", text=text)).tracking_code
    if values:
        await Report.update({getattr(Report, k): v for k, v in values.items()}).where(
            Report.tracking_code == code
        )
    return code


async def _codes(page: Page) -> list[str]:
    codes = await page.locator("#queue tr[data-code]").evaluate_all(
        "rows => rows.map(row => row.dataset.code)"
    )
    return list(codes)


async def test_an_officer_works_the_queue_the_archive_and_a_report_rerouted_away(
    live_app: str,
    page: Page,
    staff: Callable[..., Awaitable[str]],
    screenshot: Callable[[Page, str], Awaitable[None]],
) -> None:
    await staff("dina", "officer", "DPUPRPKP")
    months = APP_NOW - timedelta(days=90)
    oldest = await _open(
        "Gorong-gorong ambrol di Jl. Galunggung",
        created_at=months,
        due_at=months + timedelta(days=5),
    )
    older = await _open(
        "Trotoar rusak di Jl. Ijen",
        created_at=months + timedelta(days=10),
        due_at=months + timedelta(days=15),
    )
    urgent = await _open(
        "Jembatan retak parah di Kedungkandang, bahaya",
        urgent=True,
        due_at=APP_NOW + timedelta(hours=2),
    )
    spam = await _open("Promo pinjaman online cepat cair", due_at=APP_NOW + timedelta(days=3))
    misrouted = await _open("Sampah menumpuk di Jl. Kawi", due_at=APP_NOW + timedelta(days=3))

    await sign_in(page, "dina")
    assert (await _codes(page))[:3] == [urgent, oldest, older]
    await expect(page.locator(f"tr[data-code='{urgent}'] .badge.urgent")).to_be_visible()
    await screenshot(page, "queue-urgent-first")

    # Sorting and filtering swap the list in place and keep both in the address.
    await page.select_option("select[name=sort]", "deadline")
    await expect(page).to_have_url(re.compile(r"sort=deadline"))
    await page.check("input[name=overdue]")
    await expect(page).to_have_url(re.compile(r"overdue=1"))
    await expect(page.locator("#queue tr[data-code]")).to_have_count(2)
    assert await _codes(page) == [oldest, older]

    # Into a report and back: the same filters and order.
    await page.locator(f"tr[data-code='{older}'] a.code").click()
    await expect(page.locator("h1")).to_contain_text(older)
    await page.click("#back-to-queue")
    await expect(page).to_have_url(re.compile(r"/officer\?overdue=1&sort=deadline$"))
    await expect(page.locator("select[name=sort]")).to_have_value("deadline")
    await expect(page.locator("input[name=overdue]")).to_be_checked()
    assert await _codes(page) == [oldest, older]

    # Rejecting asks for a confirmation; the browser holds the form until it is ticked.
    await page.goto(f"/officer/reports/{spam}")
    reject = page.locator("details[data-action=reject]")
    await reject.locator("summary").click()
    await reject.locator("textarea[name=note]").fill("Iklan, bukan laporan warga")
    await reject.locator("button").click()
    await expect(page).to_have_url(re.compile(rf"/officer/reports/{spam}$"))
    assert (await Report.select(Report.status).where(Report.tracking_code == spam).first())[
        "status"
    ] == "open"
    await reject.locator("input[name=confirm]").check()
    await screenshot(page, "queue-reject-confirm")
    await reject.locator("button").click()
    await expect(page.locator(".flash-ok")).to_contain_text(spam)
    await page.reload()  # answered with a redirect: a reload sends nothing again
    await expect(page.locator(".flash-ok")).to_have_count(0)
    await expect(page.locator("h1 .badge.status-rejected")).to_be_visible()

    # Re-routing it away: back to the queue; the report stays readable, read-only.
    await page.goto(f"/officer/reports/{misrouted}")
    reroute = page.locator("details[data-action=reroute]")
    await reroute.locator("summary").click()
    await reroute.locator("select[name=department]").select_option("DLH")
    await reroute.locator("textarea[name=note]").fill("Ini soal sampah, bukan jalan")
    await reroute.locator("button").click()
    await expect(page).to_have_url(re.compile(r"/officer$"))

    await page.select_option("select[name=status]", "archive")
    await expect(page).to_have_url(re.compile(r"status=archive"))
    await expect(page.locator("#queue tr[data-code]")).to_have_count(2)
    assert set(await _codes(page)) == {spam, misrouted}
    await expect(page.locator(f"tr[data-code='{misrouted}'] .badge.rerouted")).to_be_visible()
    await screenshot(page, "queue-archive")
    await page.select_option("select[name=status]", "rejected")
    await expect(page.locator("#queue tr[data-code]")).to_have_count(1)
    assert await _codes(page) == [spam]

    await page.select_option("select[name=status]", "rerouted_away")
    await page.locator(f"tr[data-code='{misrouted}'] a.code").click()
    await expect(page.locator("#read-only")).to_contain_text("Dinas Lingkungan Hidup")
    await expect(page.locator("details.action")).to_have_count(0)
    await expect(page.locator(".timeline")).to_contain_text("Ini soal sampah, bukan jalan")
    await screenshot(page, "report-rerouted-read-only")
    await page.click("#back-to-queue")
    await expect(page).to_have_url(re.compile(r"status=rerouted_away"))
