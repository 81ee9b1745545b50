"""A head of department decides a policy review in a real browser, and the public page says
"you said, we did"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from playwright.async_api import Page, expect

from core import clock
from core.policies.reviews import open_due_reviews
from core.reports.intake import submit_report
from db.tables import Citizen, OutboxMessage, Policy
from tests.browser.conftest import sign_in
from tests.helpers import FixedRouter

pytestmark = pytest.mark.slow

CFD = "PERWAL-2025-CFD"  # car free day on Jalan Ijen, owned by DISHUB
RATIONALE = "Car free day tetap, tetapi jalur darurat ke RS Lavalette selalu dibuka."
CHANGES = "Satu lajur Jalan Ijen dibuka untuk ambulans dan warga yang berobat."


async def _objections(count: int) -> int:
    await Policy.update({Policy.review_threshold: count}).where(Policy.code == CFD)
    citizens = await Citizen.insert(
        *[
            Citizen(channel="telegram", telegram_chat_id=820_000 + n, created_at=clock.now())
            for n in range(count)
        ]
    ).returning(Citizen.id)
    for citizen in citizens:
        await submit_report(
            text="Car free day di Ijen menutup akses ambulans ke rumah sakit setiap Minggu",
            channel="telegram",
            router=FixedRouter("DISHUB"),
            policy_code=CFD,
            stance="objection",
            citizen_id=citizen["id"],
        )
    (review_id,) = await open_due_reviews()
    return review_id


async def test_the_head_revises_a_policy_and_the_public_sees_why(
    live_app: str,
    page: Page,
    staff: Callable[..., Awaitable[str]],
    screenshot: Callable[[Page, str], Awaitable[None]],
) -> None:
    await staff("kadishub", "head", "DISHUB")
    review_id = await _objections(4)

    await sign_in(page, "kadishub")
    await page.click("nav a[href='/policies']")
    row = page.locator(f"tr[data-review='{review_id}']")
    await expect(row).to_contain_text("Car free day Jalan Ijen setiap Minggu pagi")
    await expect(page.locator("#pressure li[data-code='PERWAL-2025-CFD']")).to_contain_text(
        "ambulans"  # a recurring word of the objections
    )
    await screenshot(page, "policy-overview")
    await row.locator("a").click()
    await expect(page.locator("#reports li")).to_have_count(4)

    await page.check("input[name=decision][value=revise]")
    await page.fill("textarea[name=rationale]", RATIONALE)
    await page.check("#decision input[name=confirm]")  # publishing is final: confirmed
    await page.click("#decision button.primary")
    await expect(page.locator("#decision .flash-error")).to_contain_text("Perubahan")
    await expect(page.locator("textarea[name=rationale]")).to_have_value(RATIONALE)
    await page.fill("textarea[name=changes]", CHANGES)
    await page.fill("input[name=changes_from]", "2027-02-07")
    await page.click("#decision button.primary")
    await expect(page.locator(".flash-ok")).to_contain_text("dikirim ke 4 warga")
    await expect(page.locator("#policy-status")).to_have_text("Direvisi")
    await screenshot(page, "policy-review-decided")
    assert await OutboxMessage.count().where(OutboxMessage.template == "policy_decision") == 4

    await page.goto("/kebijakan")
    decision = page.locator("#decisions li[data-code='PERWAL-2025-CFD']")
    await expect(decision).to_contain_text("4 warga berbeda keberatan")
    await expect(decision).to_contain_text(RATIONALE)
    await expect(decision).to_contain_text(CHANGES)
    await screenshot(page, "public-policy-decisions")
