"""Referring a report to a known outside authority through the staff JSON API: by its code,
with the authority's name and contact given to the citizen and the public, never typed."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from core.errors import Forbidden
from core.reports.intake import Reporter
from core.reports.lifecycle import refer_to_authority
from core.reports.models import ReportRecord
from core.routing.models import RoutingDecision
from core.staff.actors import Actor, ActorKind
from db.tables import OutboxMessage, Report
from tests.helpers import report_in
from tests.pages.sessions import PASSWORD, in_app, make_staff

THEFT = "Motor saya dicuri di parkiran depan minimarket Jl. Borobudur tadi malam"


class _PoliceRouter:
    """A classifier that finds the report to be the police's, not the city's."""

    def decide(self, text: str) -> RoutingDecision:
        return RoutingDecision(
            department_code=None, confidence=0.9, urgent=False, refer_to="POLRESTA"
        )


async def _signed_in(client: AsyncTestClient, username: str) -> None:
    response = await client.post(
        "/api/v1/session", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text


def _triage(client: AsyncTestClient) -> ReportRecord:
    return in_app(
        client,
        report_in,
        status="triage",
        text=THEFT,
        router=_PoliceRouter(),
        reporter=Reporter(name="Siti", email="siti@example.id"),
    )


async def test_a_verifier_refers_by_code_and_the_public_sees_where_it_went(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "vera", "verifier")
    report = _triage(client)
    code = report.tracking_code
    await _signed_in(client, "vera")
    suggested = (await client.get(f"/api/v1/staff/reports/{code}")).json()
    assert suggested["suggested_referral"]["code"] == "POLRESTA"
    assert suggested["referred_to"] is None

    referred = await client.post(f"/api/v1/staff/reports/{code}/refer", json={"to": "POLRESTA"})
    assert referred.status_code == 200, referred.text
    body = referred.json()
    assert body["status"] == "referred"
    assert body["referred_to"] == {
        "code": "POLRESTA",
        "name": "Polresta Malang Kota",
        "phone": "110",
        "website": "https://www.polri.go.id",
    }
    last = body["timeline"][-1]
    assert last["event"] == "referred" and last["actor"] == "vera"
    assert "Kepolisian Resor Kota Malang Kota" in last["note"] and "110" in last["note"]

    public = (await client.get(f"/api/v1/reports/{code}")).json()
    assert public["status"] == "referred"
    assert public["referred_to"]["name"] == "Kepolisian Resor Kota Malang Kota"
    assert public["referred_to"]["phone"] == "110"
    page = await client.get(f"/lacak/{code}")
    assert 'data-referral="POLRESTA"' in page.text and "telepon 110" in page.text

    stored = in_app(
        client, Report.select(Report.referred_to).where(Report.tracking_code == code).first
    )
    assert stored == {"referred_to": "POLRESTA"}
    told = in_app(
        client,
        OutboxMessage.select(OutboxMessage.template)
        .where((OutboxMessage.report == report.id) & (OutboxMessage.channel == "citizen"))
        .order_by(OutboxMessage.id)
        .run,
    )
    assert [row["template"] for row in told] == ["submitted", "referred"]

    again = await client.post(f"/api/v1/staff/reports/{code}/refer", json={"to": "PLN"})
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("id", "Rujukan 'PLNX' tidak dikenal; pilih salah satu dari BBPJN, BPJS,"),
        ("en", "Unknown referral 'PLNX'; choose one of BBPJN, BPJS,"),
    ],
)
async def test_an_unknown_authority_is_refused_in_the_readers_language(
    client: AsyncTestClient, language: str, expected: str
) -> None:
    make_staff(client, "vera", "verifier")
    code = _triage(client).tracking_code
    await _signed_in(client, "vera")
    refused = await client.post(
        f"/api/v1/staff/reports/{code}/refer",
        json={"to": "PLNX"},
        headers={"accept-language": language},
    )
    assert refused.status_code == 400, refused.text
    (error,) = refused.json()["errors"]
    assert error["field"] == "to" and error["message"].startswith(expected)
    status = (await client.get(f"/api/v1/staff/reports/{code}")).json()["status"]
    assert status == "triage"


async def test_only_those_who_may_refer_the_report_can(client: AsyncTestClient) -> None:
    make_staff(client, "lina", "officer", "DLH")
    make_staff(client, "dina", "officer", "DPUPRPKP")
    make_staff(client, "pak", "leadership")
    opened = in_app(client, report_in, status="open")  # with DPUPRPKP
    code = opened.tracking_code

    assert (
        await client.post(f"/api/v1/staff/reports/{code}/refer", json={"to": "PLN"})
    ).status_code == 401
    for username in ("lina", "pak"):
        await _signed_in(client, username)
        refused = await client.post(f"/api/v1/staff/reports/{code}/refer", json={"to": "PLN"})
        assert refused.status_code == 403, (username, refused.text)
        await client.delete("/api/v1/session")
    # A citizen has no staff session; core refuses them whichever door they came through.
    citizen = Actor(kind=ActorKind.CITIZEN, citizen_id=opened.citizen)
    with pytest.raises(Forbidden):
        in_app(client, refer_to_authority, tracking_code=code, code="PLN", actor=citizen)

    # The department's own officer may, by code or, as before, in their own words.
    await _signed_in(client, "dina")
    assert (await client.get(f"/api/v1/staff/reports/{code}")).json()["status"] == "open"
    written = await client.post(
        f"/api/v1/staff/reports/{code}/refer",
        json={"note": "Silakan ke Samsat Kota Malang, Jl. Dr. Cipto."},
    )
    assert written.status_code == 200, written.text
    assert written.json()["referred_to"] is None
    assert written.json()["timeline"][-1]["note"] == "Silakan ke Samsat Kota Malang, Jl. Dr. Cipto."
