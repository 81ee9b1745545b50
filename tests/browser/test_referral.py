"""A verifier refers a matter of PLN in one click, in a real browser: the triage item names the
authority the classifier suggests, the referral takes the confirmation tick, the citizen's
confirmed address gets the authority and its number in their language (a real SMTP server),
and the public page shows where the report went. Without JavaScript another authority is
picked from the list and the form answers with a redirect. The app's clock and the test's
are pinned to the same moment."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime

import pytest
from aiosmtpd.controller import Controller
from playwright.async_api import Page, expect

from core import clock
from core.reports.intake import Reporter
from core.routing.models import RoutingDecision
from db.tables import Citizen, Report
from tests.browser.conftest import sign_in
from tests.helpers import report_in
from tests.mail.conftest import Mailbox, mail_settings
from tests.mail.test_mail import deliver, plain
from tests.ports import free_port

pytestmark = pytest.mark.slow

# Monday 30 November 2026, 09:00 in Malang: the app's clock too (tests/browser/conftest.py).
APP_NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
SITI = "siti@example.id"
BLACKOUT = "Listrik padam di seluruh RW 05 Sawojajar sejak subuh, kulkas warga mati semua"
BATU = "Jalan menuju Selecta di Bumiaji rusak parah dan banyak lubang"


class _ReferringRouter:
    def __init__(self, code: str) -> None:
        self.code = code

    def decide(self, text: str) -> RoutingDecision:
        return RoutingDecision(
            department_code=None, confidence=0.93, urgent=False, refer_to=self.code
        )


@pytest.fixture(autouse=True)
def pinned() -> Iterator[None]:
    with clock.frozen_at(APP_NOW):
        yield


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port  # type: ignore[attr-defined]
    try:
        yield box
    finally:
        controller.stop()


async def test_a_verifier_refers_a_matter_of_pln_in_one_click(
    live_app: str,
    db: str,
    page: Page,
    mailbox: Mailbox,
    staff: Callable[..., Awaitable[str]],
    audit: Callable[[Page, str, str], Awaitable[None]],
) -> None:
    await staff("vera", "verifier")
    report = await report_in(
        "triage",
        channel="web",
        text=BLACKOUT,
        router=_ReferringRouter("PLN"),
        reporter=Reporter(name="Siti", email=SITI),
    )
    code = report.tracking_code
    # Siti confirmed her address and reads English.
    await Citizen.update({Citizen.email_confirmed_at: APP_NOW, Citizen.language: "en"}).where(
        Citizen.email == SITI
    )
    settings = mail_settings(db, mailbox)
    await deliver(settings)  # the receipt
    received = len(mailbox.to(SITI))

    await sign_in(page, "vera")
    item = page.locator(f"#item-{code}")
    suggestion = item.locator(".referral[data-referral=PLN]")
    await expect(suggestion).to_contain_text("PT PLN (Persero) UP3 Malang")
    await expect(suggestion).to_contain_text("telepon 123")
    await audit(page, "/verifier", "verifier-referral-suggested")

    button = suggestion.locator("button[data-refer=PLN]")
    await expect(button).to_have_text("Rujuk ke PLN")
    await suggestion.locator("input[name=confirm]").check()
    await button.click()
    done = page.locator(f"#item-{code}[data-done]")
    await expect(done).to_have_text(f"Laporan {code} dirujuk ke PLN.")
    assert page.url.endswith("/verifier")  # swapped in place
    stored = await Report.select(Report.status, Report.referred_to).where(
        Report.tracking_code == code
    )
    assert stored == [{"status": "referred", "referred_to": "PLN"}]

    await deliver(settings)
    (told,) = mailbox.to(SITI)[received:]
    assert code in told["Subject"]
    assert (
        "was referred to PLN. Please contact: PT PLN (Persero) UP3 Malang, phone 123, "
        "https://www.pln.co.id"
    ) in plain(told)

    await page.goto(f"/lacak/{code}")
    referred = page.locator("#referred-to[data-referral=PLN]")
    await expect(referred).to_contain_text("PT PLN (Persero) UP3 Malang")
    await expect(referred).to_contain_text("telepon 123")
    await expect(referred.locator("a")).to_have_attribute("href", "https://www.pln.co.id")
    await audit(page, f"/lacak/{code}", "public-referred")


async def test_without_javascript_another_authority_is_picked_from_the_list(
    live_app: str,
    page: Page,
    staff: Callable[..., Awaitable[str]],
) -> None:
    await staff("vera", "verifier")
    # Suggested for PLN, though the road is in Kota Batu: the verifier picks another authority.
    code = (await report_in("triage", text=BATU, router=_ReferringRouter("PLN"))).tracking_code
    await page.context.route("**/vendor/htmx*", lambda route: route.abort())
    await sign_in(page, "vera")
    other = page.locator(f"#item-{code} form[data-refer-other]")
    await other.locator("select[name=to]").select_option("KOTA_BATU")
    await other.locator("button").click()  # the tick is missing: the browser holds the form
    assert (await Report.select(Report.status).where(Report.tracking_code == code))[0][
        "status"
    ] == "triage"
    await other.locator("input[name=confirm]").check()
    await other.locator("button").click()
    await page.wait_for_load_state()
    assert page.url.endswith("/verifier")  # redirected after the POST
    await expect(page.locator(".flash-ok")).to_contain_text(f"Laporan {code} dirujuk ke Kota Batu.")
    await expect(page.locator(f"#item-{code}")).to_have_count(0)
    await page.goto(f"/lacak/{code}")
    await expect(page.locator("#referred-to")).to_contain_text("Pemerintah Kota Batu")
    await expect(page.locator("#referred-to")).to_contain_text("https://batukota.go.id")
    await expect(page.locator("#referred-to")).not_to_contain_text("telepon")
