"""Leadership's pages in a real browser against the real app: the dashboard's figures follow
the reports, the trend charts draw, and the drill-down, evaluation and public transparency
pages show what they should."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest
from playwright.async_api import Page, expect

from core.reports import lifecycle
from core.staff.actors import Actor, ActorKind, Role
from db.tables import Department
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.slow

POTHOLE = "Jalan berlubang di Jl. Ijen depan Museum Brawijaya, dalam sekali"


async def _officer_of(code: str) -> Actor:
    department = await Department.select(Department.id).where(Department.code == code).first()
    return Actor(kind=ActorKind.OFFICER, role=Role.OFFICER, department_id=department["id"])


async def test_leadership_sees_the_figures_change(
    live_app: str,
    page: Page,
    staff: Callable[..., Awaitable[str]],
    screenshot: Callable[[Page, str], Awaitable[None]],
) -> None:
    await staff("walikota", "leadership")
    async with httpx.AsyncClient(base_url=live_app) as client:
        created = (await client.post("/api/v1/reports", json={"text": POTHOLE})).json()
    code = created["tracking_code"]
    officer = await _officer_of("DPUPRPKP")
    await lifecycle.acknowledge(tracking_code=code, actor=officer)

    await sign_in(page, "walikota")
    assert page.url.endswith("/leadership")
    resolved = page.locator("#city [data-stat=resolved]")
    public_works = page.locator("#departments tr[data-line=DPUPRPKP]")
    await expect(resolved).to_have_text("0")
    await expect(page.locator("#city [data-stat=received]")).to_have_text("1")
    await expect(public_works.locator("[data-metric=first_response_compliance]")).to_have_text(
        "100,0 %"
    )
    # The vendored Chart.js drew the weekly trend.
    assert await page.evaluate(
        "() => Chart.getChart(document.getElementById('chart-received')) !== undefined"
    )

    await lifecycle.resolve(tracking_code=code, answer="Sudah ditambal aspal", actor=officer)
    await page.reload()
    await expect(resolved).to_have_text("1")
    await expect(public_works.locator("[data-metric=resolved]")).to_have_text("1")
    await screenshot(page, "leadership-dashboard")

    await public_works.locator("a").click()
    await expect(page.locator("h1")).to_contain_text("DPUPRPKP")
    await expect(page.locator("#summary [data-stat=resolved]")).to_have_text("1")
    await screenshot(page, "leadership-department")

    await page.goto("/leadership/evaluation")
    await expect(page.locator("#ranking tr[data-line=DPUPRPKP]")).to_be_visible()
    await screenshot(page, "leadership-evaluation")
    download = await page.request.get("/leadership/evaluation.csv")
    assert download.status == 200
    assert (await download.text()).startswith("\ufeffrank,department_code,department,")

    await page.goto("/transparansi")
    row = page.locator("#departments tr[data-line=DPUPRPKP]")
    await expect(row.locator("[data-metric=resolved]")).to_have_text("1")
    await expect(page.locator("main")).not_to_contain_text(code)  # aggregates only
    await screenshot(page, "transparency")
