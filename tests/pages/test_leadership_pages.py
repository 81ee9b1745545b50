"""The leadership and transparency pages over HTTP, on both engines: bad periods are refused
with a page that says why, the CSV is a download, and the public page shows aggregates only."""

from __future__ import annotations

import csv
import io
import re

from litestar.testing import AsyncTestClient

from api.pages.figures import Numbers
from core.figures.metrics import OVERFLOW
from core.figures.rollup import READ_REFRESH_LIMIT
from core.figures.scheduled import refresh_rollups
from core.reports.synthetic import seed_history
from db.tables import Report
from tests.helpers import report_in
from tests.pages.sessions import in_app, make_staff, sign_in

SECRET = "Pungli di kantor kelurahan oleh oknum bernama Pak Joko setiap Senin pagi"


async def test_a_bad_period_is_refused_with_a_page_that_says_why(client: AsyncTestClient) -> None:
    make_staff(client, "pimpinan", "leadership")
    await sign_in(client, "pimpinan")
    for path in (
        "/leadership?period=kemarin",
        "/leadership/department/DLH?period=2026-13",
        "/leadership/evaluation?period=2026-Q1",
        "/leadership/evaluation.csv?period=" + "9" * 5000,
        "/transparansi?period=0d",
    ):
        response = await client.get(path)
        assert response.status_code == 400, path
        assert "text/html" in response.headers["content-type"]
        assert "Periode" in response.text or "Semester" in response.text, path
    missing = await client.get("/leadership/department/TIDAK_ADA")
    assert missing.status_code == 404
    client.cookies.set("lang", "en")
    english = await client.get("/leadership?period=kemarin")
    assert "Unknown period" in english.text


async def test_the_evaluation_downloads_as_csv(client: AsyncTestClient) -> None:
    make_staff(client, "pimpinan", "leadership")
    await sign_in(client, "pimpinan")
    response = await client.get("/leadership/evaluation.csv?period=2026-H2")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="evaluasi-2026-H2.csv"' in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 for a spreadsheet
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 18 and {row["rank"] for row in rows} == {""}  # nobody has 10 reports


async def test_transparency_shows_aggregates_without_personal_data(
    client: AsyncTestClient,
) -> None:
    report = in_app(client, report_in, status="resolved", text=SECRET, confidential=True)
    response = await client.get("/transparansi")
    assert response.status_code == 200
    assert "Dinas Pekerjaan Umum" in response.text
    for private in (report.tracking_code, "Pak Joko", "kelurahan"):
        assert private not in response.text
    row = response.text.split('data-line="DPUPRPKP"')[1].split("</tr>")[0]
    assert 'data-metric="received">1<' in row and 'data-metric="resolved">1<' in row


def test_figures_read_in_the_visitors_language() -> None:
    indonesian, english = Numbers("id"), Numbers("en")
    assert (indonesian.count(12345), english.count(12345)) == ("12.345", "12,345")
    assert (indonesian.pct(0.8534), english.pct(0.8534)) == ("85,3 %", "85.3 %")
    assert (indonesian.days(1.5), english.days(1.5)) == ("1,5 hk", "1.5 wd")
    assert indonesian.days(OVERFLOW) == "> 120 hk"
    assert indonesian.pct(None) == indonesian.days(None) == indonesian.mean(None) == "—"


async def _counted_reports() -> int:
    """What the public page counts: the departments' reports, a merged one as its case."""
    return await Report.count().where(Report.department.is_not_null() & (Report.status != "merged"))


def _received(page: str) -> int:
    figure = re.search(r'data-stat="received">([^<]*)<', page)
    assert figure, page
    return int(re.sub(r"\D", "", figure.group(1)))


async def test_after_a_bulk_import_pages_show_the_last_figures_with_their_date(
    client: AsyncTestClient,
) -> None:
    """More new reports than a page derives (a bulk import): the first visitor gets the
    figures of the last refresh at once, with their date, and the scheduler's refresh brings
    them up to date; a small change shows at once."""
    make_staff(client, "pimpinan", "leadership")
    await sign_in(client, "pimpinan")
    in_app(client, report_in, status="open")
    current = await client.get("/transparansi?period=365d")
    assert "sedang dihitung" not in current.text
    counted = _received(current.text)
    assert counted >= 1

    bulk = READ_REFRESH_LIMIT + 500
    in_app(client, seed_history, reports=bulk, days=60, seed=5)
    stale = await client.get("/transparansi?period=365d")
    assert _received(stale.text) == counted  # the last figures, not computed in the request
    assert "angka terbaru sedang dihitung" in stale.text and "Angka per " in stale.text
    leadership = await client.get("/leadership?period=365d")
    assert "Angka terbaru sedang dihitung" in leadership.text

    in_app(client, refresh_rollups)  # the scheduler's job catches up
    caught_up = await client.get("/transparansi?period=365d")
    assert "sedang dihitung" not in caught_up.text
    received = in_app(client, _counted_reports)
    assert _received(caught_up.text) == received > counted
    in_app(client, report_in, status="open")  # a small change is derived by the page itself
    assert _received((await client.get("/transparansi?period=365d")).text) == received + 1
