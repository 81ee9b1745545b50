"""The department's staff see who sent a report, to ask for details, unless the citizen chose
anonymity or confidentiality; nobody outside the department ever does."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from core.reports.intake import Reporter
from tests.helpers import FixedRouter, report_in
from tests.pages.sessions import in_app, make_staff, sign_in

SITI = Reporter(name="Siti Aminah", phone="081234567890", email="siti@example.id")


def _report(client: AsyncTestClient, **privacy: bool) -> str:
    report = in_app(
        client, report_in, status="triage", router=FixedRouter("DPUPRPKP"), reporter=SITI, **privacy
    )
    return report.tracking_code


async def test_staff_see_the_reporter_of_a_public_report(client: AsyncTestClient) -> None:
    make_staff(client, "dina", "officer", "DPUPRPKP")
    code = _report(client)
    await sign_in(client, "dina")
    page = (await client.get(f"/officer/reports/{code}")).text
    assert 'id="reporter"' in page
    # The phone as the city stores every number: +62…
    assert "Siti Aminah" in page and "+6281234567890" in page and "siti@example.id" in page
    staff = (await client.get(f"/api/v1/staff/reports/{code}")).json()
    assert staff["reporter"] == {
        "name": "Siti Aminah",
        "email": "siti@example.id",
        "phone": "+6281234567890",
    }
    public = (await client.get(f"/api/v1/reports/{code}")).text
    assert "Siti" not in public and "812345" not in public and "siti@" not in public


async def test_anonymous_and_confidential_reporters_stay_unknown_to_staff(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "dina", "officer", "DPUPRPKP")
    codes = [_report(client, anonymous=True), _report(client, confidential=True)]
    await sign_in(client, "dina")
    for code in codes:
        page = (await client.get(f"/officer/reports/{code}")).text
        assert 'id="reporter"' not in page and "Siti" not in page and "812345" not in page
        staff = (await client.get(f"/api/v1/staff/reports/{code}")).json()
        assert staff["reporter"] is None


async def test_an_officer_of_another_department_sees_no_reporter(client: AsyncTestClient) -> None:
    make_staff(client, "budi", "officer", "DISHUB")
    code = _report(client)
    await sign_in(client, "budi")
    page = await client.get(f"/officer/reports/{code}")
    assert page.status_code == 403 and "Siti" not in page.text
