"""Leadership's tables on the screen they are read on (1366 px) and on paper (A4 landscape):
the key columns in view without scrolling, sorting in the browser and without JavaScript,
the change from the period before, the backlog by week, the evaluation printed with its
score, the CSV a spreadsheet set to Indonesian reads, and the public table on a phone."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Awaitable, Callable

import pytest
from playwright.async_api import Locator, Page, expect
from pypdf import PdfReader

from core.reports import lifecycle
from tests.browser.conftest import sign_in
from tests.helpers import ADMIN, report_in

pytestmark = pytest.mark.slow

SCREEN = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
A4_LANDSCAPE = (842, 595)  # points, rounded


async def _reports() -> None:
    """Twelve reports for public works (enough to be ranked), two for the environment."""
    for status in ("resolved",) * 6 + ("in_progress",) * 3 + ("open",) * 3:
        await report_in(status)
    for _ in range(2):
        report = await report_in("triage")
        await lifecycle.route(
            tracking_code=report.tracking_code, department_code="DLH", actor=ADMIN
        )


async def _inside_screen(page: Page, cell: Locator) -> None:
    """The cell is shown whole: inside the screen and inside its table's scrolling frame."""
    box = await cell.bounding_box()
    frame = await cell.locator("xpath=ancestor::div[contains(@class,'table-wrap')]").bounding_box()
    assert box is not None and frame is not None, cell
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (cell, box)
    assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1, (
        cell,
        box,
        frame,
    )


async def _fits(page: Page, table: str) -> bool:
    return bool(
        await page.evaluate(
            "(id) => { const w = document.getElementById(id).parentElement;"
            " return w.scrollWidth <= w.clientWidth; }",
            table,
        )
    )


async def _order(table: Locator) -> list[str | None]:
    return [await row.get_attribute("data-line") for row in await table.locator("tbody tr").all()]


async def test_the_key_columns_fit_the_screen_and_sort(
    live_app: str,
    page: Page,
    staff: Callable[..., Awaitable[str]],
    screenshot: Callable[[Page, str], Awaitable[None]],
) -> None:
    await _reports()
    await staff("walikota", "leadership")
    await page.set_viewport_size(SCREEN)
    await sign_in(page, "walikota")
    table = page.locator("#departments")
    works = table.locator("tr[data-line=DPUPRPKP]")
    for metric in ("overdue", "escalations", "rating", "open"):
        await _inside_screen(page, table.locator(f"th[data-sort={metric}]"))
        await _inside_screen(page, works.locator(f"[data-metric={metric}]"))
    assert await _fits(page, "departments"), "the key columns need no sideways scrolling"
    # Each headline figure against the period before (nothing was received then).
    await expect(page.locator("[data-change=received]")).to_have_text(
        "▲ 14 dari periode sebelumnya"
    )
    await expect(page.locator("#compared")).to_be_visible()
    # The backlog by week: this week ends with today's open reports (6 + 2).
    await expect(page.locator("#backlog-weeks tbody tr").last.locator("td.num")).to_have_text("8")
    await screenshot(page, "leadership-1366")

    # Sorting in place: most received first, then fewest.
    await table.locator("th[data-sort=received] a").click()
    assert (await _order(table))[:2] == ["DPUPRPKP", "DLH"]
    await expect(table.locator("th[data-sort=received]")).to_have_attribute(
        "aria-sort", "descending"
    )
    await expect(page).to_have_url(re.compile(r"sort=-received"))
    await table.locator("th[data-sort=received] a").click()
    assert (await _order(table))[-2:] == ["DLH", "DPUPRPKP"]
    # The same order from the server, for a browser without JavaScript.
    served = await page.request.get("/leadership?sort=-received")
    lines = re.findall(r'<tr data-line="([A-Z_]+)"', (await served.text()).split("<tfoot>")[0])
    assert lines[:2] == ["DPUPRPKP", "DLH"]

    # Every column on request: the department column stays in view while the table scrolls.
    await page.get_by_role("link", name="Tampilkan semua kolom").click()
    await expect(table.locator("th[data-sort=p90_resolution]")).to_be_visible()
    first = works.locator("th[scope=row]")
    before = await first.bounding_box()
    await page.evaluate(
        "() => { const w = document.querySelector('#departments').parentElement;"
        " w.scrollLeft = w.scrollWidth; }"
    )
    after = await first.bounding_box()
    assert before is not None and after is not None and abs(after["x"] - before["x"]) < 1
    assert await works.locator("[data-metric=rating]").is_visible()


async def test_the_evaluation_shows_and_prints_its_score(
    live_app: str,
    page: Page,
    staff: Callable[..., Awaitable[str]],
    screenshot: Callable[[Page, str], Awaitable[None]],
) -> None:
    await _reports()
    await staff("walikota", "leadership")
    await page.set_viewport_size(SCREEN)
    await sign_in(page, "walikota")
    await page.goto("/leadership/evaluation")
    ranking = page.locator("#ranking")
    works = ranking.locator("tr[data-line=DPUPRPKP]")
    await expect(works.locator("[data-metric=rank]")).to_have_text("1")
    score = (await works.locator("[data-metric=score]").inner_text()).strip()
    assert re.fullmatch(r"\d{1,3},\d", score), score
    for metric in ("score", "rating", "letters", "open_share", "policy_decisions"):
        await _inside_screen(page, ranking.locator(f"th[data-sort={metric}]"))
        await _inside_screen(page, works.locator(f"[data-metric={metric}]"))
    assert await _fits(page, "ranking"), "every column of the ranking without sideways scrolling"
    await screenshot(page, "evaluation-1366")

    # Sorted by name, A to Z, and back to the ranking.
    await ranking.locator("th[data-sort=name] a").click()
    assert (await _order(ranking))[0] == "BPBD"  # Badan Penanggulangan Bencana Daerah
    await ranking.locator("th[data-sort=rank] a").click()
    assert (await _order(ranking))[0] == "DPUPRPKP"

    # Printed on A4 landscape, every column and the score on the page.
    pdf = PdfReader(io.BytesIO(await page.pdf(prefer_css_page_size=True, print_background=True)))
    first_page = pdf.pages[0]
    size = (round(float(first_page.mediabox.width)), round(float(first_page.mediabox.height)))
    assert size == A4_LANDSCAPE
    text = first_page.extract_text()
    assert "Skor" in text and score in text and "Keputusan" in text

    # The CSV: a byte-order mark, and with decimal commas for a spreadsheet in Indonesian.
    plain = await page.request.get("/leadership/evaluation.csv")
    assert (await plain.body()).startswith(b"\xef\xbb\xbf")
    comma = await page.request.get("/leadership/evaluation.csv?decimal=comma")
    body = await comma.body()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    works_row = next(row for row in rows if row["department_code"] == "DPUPRPKP")
    assert works_row["score"] == score  # rounded as on the page
    assert re.fullmatch(r"0,\d{4}|1,0000", works_row["first_response_compliance"])


async def test_transparency_fits_a_phone(
    live_app: str, page: Page, screenshot: Callable[[Page, str], Awaitable[None]]
) -> None:
    await _reports()
    await page.set_viewport_size(PHONE)
    await page.goto("/transparansi")
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    works = page.locator("#departments tr[data-line=DPUPRPKP]")
    for metric in ("received", "first_response_compliance", "resolved", "rating"):
        await _inside_screen(page, works.locator(f"[data-metric={metric}]"))
    await expect(works.locator("[data-metric=received]")).to_have_text("12")
    await screenshot(page, "transparency-phone")
    # Sortable on the phone too: fewest received first puts public works last.
    await page.locator("#departments th[data-sort=received] a").click()
    await page.locator("#departments th[data-sort=received] a").click()
    assert (await _order(page.locator("#departments")))[-1] == "DPUPRPKP"
