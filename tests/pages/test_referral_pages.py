"""The verifier's referral forms over HTTP: what a form without the tick, a tampered code, or an
htmx request gets back."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from core.reports.intake import public_report
from core.routing.models import RoutingDecision
from tests.helpers import report_in
from tests.pages.sessions import in_app, make_staff, post_form, sign_in


class _PlnRouter:
    def decide(self, text: str) -> RoutingDecision:
        return RoutingDecision(department_code=None, confidence=0.93, urgent=False, refer_to="PLN")


async def test_a_referral_needs_the_tick_and_a_known_authority(client: AsyncTestClient) -> None:
    make_staff(client, "vera", "verifier")
    code = in_app(client, report_in, status="triage", router=_PlnRouter()).tracking_code
    waiting = await client.get(f"/lacak/{code}")
    assert 'id="suggested-referral" data-referral="PLN"' in waiting.text
    assert "Verifikator akan memastikannya." in waiting.text
    await sign_in(client, "vera")

    unticked = await post_form(client, f"/verifier/{code}/refer", {"to": "PLN"})
    assert unticked.status_code == 400 and "Centang konfirmasi dulu" in unticked.text
    tampered = await post_form(client, f"/verifier/{code}/refer", {"to": "PLNX", "confirm": "1"})
    assert tampered.status_code == 400
    assert "Rujukan &#39;PLNX&#39; tidak dikenal" in tampered.text
    # The item is shown again with its suggestion.
    item = tampered.text.split(f'id="item-{code}"')[1]
    assert 'data-refer="PLN"' in item
    assert in_app(client, public_report, tracking_code=code).status == "triage"

    token = (await client.get("/verifier")).text.split('name="_csrf_token" value="')[1][:128]
    htmx = {"hx-request": "true", "x-csrftoken": token}
    done = await client.post(
        f"/verifier/{code}/refer", data={"to": "PLN", "confirm": "1"}, headers=htmx
    )
    assert done.status_code == 200 and 'data-done="true"' in done.text
    assert f"Laporan {code} dirujuk ke PLN." in done.text
    public = in_app(client, public_report, tracking_code=code)
    assert public.status == "referred" and public.referred_to is not None
    assert public.referred_to.phone == "123"
    shown = await client.get(f"/lacak/{code}")
    assert 'id="referred-to" data-referral="PLN"' in shown.text
    assert "suggested-referral" not in shown.text
