"""Policy correction in the web pages: who may open what, the head publishing a decision,
officers linking reports, leadership's view, and the public "you said, we did"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from api.pages.names import DECISION_NAMES, EVENT_NAMES, LEVEL_NAMES
from core import clock
from core.catalogue.administration import create_policy
from core.policies.reviews import DECISIONS, open_due_reviews
from core.reports.intake import submit_report
from core.staff.actors import Actor
from db.tables import Citizen, OutboxMessage, Policy, Report, ReportEvent
from tests.helpers import FixedRouter, perform, report_in
from tests.pages.sessions import csrf_token, in_app, make_staff, post_form, sign_in

ROLES = ("anonymous", "officer", "head", "verifier", "leadership", "admin")
OWN_POLICY, OTHER_POLICY = "PERWAL-2026-TROTOAR", "PERWAL-2025-SAMPAH"  # DPUPRPKP's, DLH's


async def _review(*, code: str, objectors: int, first_chat: int) -> int:
    """A review of `code`, opened by `objectors` distinct Telegram citizens."""
    await Policy.update({Policy.review_threshold: objectors}).where(Policy.code == code)
    citizens = await Citizen.insert(
        *[
            Citizen(channel="telegram", telegram_chat_id=first_chat + n, created_at=clock.now())
            for n in range(objectors)
        ]
    ).returning(Citizen.id)
    for citizen in citizens:
        await submit_report(
            text="Kebijakan ini memberatkan warga kecil, mohon ditinjau ulang segera",
            channel="telegram",
            router=FixedRouter("DPUPRPKP"),
            policy_code=code,
            stance="objection",
            citizen_id=citizen["id"],
        )
    (review_id,) = await open_due_reviews()
    return review_id


async def _own_policy() -> None:
    await create_policy(
        code=OWN_POLICY,
        title="Larangan parkir di trotoar koridor Ijen",
        summary="Kendaraan dilarang parkir di atas trotoar sepanjang koridor Ijen.",
        department_code="DPUPRPKP",
        legal_url=None,
        effective_from=None,
        actor=Actor.system(),
    )


def _staff(client: AsyncTestClient) -> None:
    make_staff(client, "officer", "officer", "DPUPRPKP")
    make_staff(client, "head", "head", "DPUPRPKP")
    make_staff(client, "verifier", "verifier")
    make_staff(client, "leadership", "leadership")
    make_staff(client, "admin", "admin")


@pytest.mark.parametrize("role", ROLES)
async def test_who_may_open_and_post_what(client: AsyncTestClient, role: str) -> None:
    _staff(client)
    in_app(client, _own_policy)
    own_review = in_app(client, _review, code=OWN_POLICY, objectors=2, first_chat=1000)
    other_review = in_app(client, _review, code=OTHER_POLICY, objectors=2, first_chat=2000)
    if role != "anonymous":
        assert (await sign_in(client, role)).status_code == 303

    def fresh(kind: str) -> str:
        code = in_app(client, report_in, status="open").tracking_code
        if kind == "other":
            in_app(client, perform, action="reroute", code=code)  # to DLH
        return code

    decide = {
        "confirm": "1",
        "decision": "keep",
        "rationale": "Kebijakan tetap diperlukan untuk pejalan kaki.",
    }
    link = {"policy": OWN_POLICY, "stance": "objection"}
    routes: list[tuple[str, str, dict[str, str] | None, dict[str, int]]] = [
        ("GET", "/policies", None, {"head": 200, "admin": 200}),
        ("GET", "/policies?department=DPUPRPKP", None, {"head": 200, "admin": 200}),
        ("GET", "/policies?department=DLH", None, {"admin": 200}),
        ("GET", f"/policies/reviews/{own_review}", None,
         {"head": 200, "leadership": 200, "admin": 200}),
        ("GET", f"/policies/reviews/{other_review}", None, {"leadership": 200, "admin": 200}),
        ("GET", "/leadership/policies", None, {"leadership": 200, "admin": 200}),
        ("POST", f"/policies/reviews/{other_review}/decide", decide, {"admin": 303}),
        ("POST", f"/policies/reviews/{own_review}/decide", decide, {"head": 303, "admin": 303}),
        ("POST", f"/policies/reports/{fresh('own')}/link", link,
         {"officer": 303, "head": 303, "verifier": 303, "admin": 303}),
        ("POST", f"/policies/reports/{fresh('other')}/link", link, {"verifier": 303, "admin": 303}),
        ("POST", "/policies/registry/PERWAL-2025-SAMPAH",
         {"title": "Jadwal angkut sampah", "summary": "Dua kali sehari."}, {"admin": 400}),
    ]  # fmt: skip
    wrong = []
    for method, path, form, allowed in routes:
        if method == "GET":
            response = await client.get(path, follow_redirects=False)
        else:
            response = await post_form(client, path, form)
        expected = 302 if role == "anonymous" else allowed.get(role, 403)
        if response.status_code != expected:
            wrong.append(f"{method} {path}: {response.status_code}, expected {expected}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def _count(client: AsyncTestClient, template: str) -> int:
    async def count() -> int:
        return await OutboxMessage.count().where(OutboxMessage.template == template)

    return in_app(client, count)


async def test_the_head_publishes_a_decision_that_the_public_page_shows(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "kadishub", "head", "DISHUB")
    review_id = in_app(client, _review, code="PERWAL-2024-PARKIR", objectors=3, first_chat=3000)
    await sign_in(client, "kadishub")
    overview = await client.get("/policies")
    assert f'href="/policies/reviews/{review_id}"' in overview.text
    assert "Tarif parkir tepi jalan umum zona pusat kota" in overview.text

    page = await client.get(f"/policies/reviews/{review_id}")
    assert page.status_code == 200
    assert "memberatkan warga kecil" in page.text and "Publikasikan keputusan" in page.text
    path = f"/policies/reviews/{review_id}/decide"
    rationale = "Tarif motor terlalu tinggi dibanding zona lain; keberatan warga beralasan."
    refused = await post_form(
        client, path, {"confirm": "1", "decision": "revise", "rationale": rationale}
    )
    assert refused.status_code == 400
    assert "Perubahan harus 10 sampai 1000 karakter." in refused.text
    assert rationale in refused.text  # what the head wrote is kept
    bad_date = await post_form(
        client,
        path,
        {
            "confirm": "1",
            "decision": "revise",
            "rationale": rationale,
            "changes": "x" * 20,
            "changes_from": "31-12",
        },
    )
    assert bad_date.status_code == 400 and "Tanggal tidak valid." in bad_date.text
    assert _count(client, "policy_decision") == 0

    changes = "Tarif motor turun menjadi Rp2.000 dan tunai tetap diterima."
    done = await post_form(
        client,
        path,
        {
            "confirm": "1",
            "decision": "revise",
            "rationale": rationale,
            "changes": changes,
            "changes_from": "2027-01-01",
        },
    )
    assert done.status_code == 303
    decided = await client.get(done.headers["location"])
    assert "Keputusan dipublikasikan dan dikirim ke 3 warga." in decided.text
    assert 'data-decision="revise"' in decided.text
    again = await post_form(
        client, path, {"confirm": "1", "decision": "keep", "rationale": rationale}
    )
    assert again.status_code == 409 and "sudah diputuskan" in again.text
    assert _count(client, "policy_decision") == 3

    public = (await client.get("/kebijakan")).text.split('id="decisions"')[1]
    assert "3 warga berbeda keberatan" in public
    # The day in the locale's own format (Babel's): Indonesian month names, day first.
    assert rationale in public and changes in public and "berlaku mulai 1 Januari 2027" in public
    await client.get("/bahasa/en?next=/kebijakan")
    english = (await client.get("/kebijakan")).text
    assert "You said: 3 distinct citizens objected" in english and "We decided:" in english
    assert "from January 1, 2027" in english


async def test_an_officer_links_and_unlinks_a_report_on_its_page(client: AsyncTestClient) -> None:
    make_staff(client, "petugas", "officer", "DPUPRPKP")
    code = in_app(client, report_in, status="open").tracking_code
    await sign_in(client, "petugas")
    page = await client.get(f"/officer/reports/{code}")
    assert f'action="/policies/reports/{code}/link"' in page.text
    linked = await post_form(
        client,
        f"/policies/reports/{code}/link",
        {"policy": "PERWAL-2024-PARKIR", "stance": "suggestion"},
    )
    assert linked.status_code == 303
    page = await client.get(linked.headers["location"])
    assert "ditautkan ke kebijakan" in page.text  # the timeline event
    assert "PERWAL-2024-PARKIR — Tarif parkir" in page.text and "(Saran)" in page.text

    async def revoke() -> None:
        await Policy.update({Policy.status: "revoked"}).where(Policy.code == "PERWAL-2025-CFD")

    in_app(client, revoke)
    refused = await post_form(
        client,
        f"/policies/reports/{code}/link",
        {"policy": "PERWAL-2025-CFD", "stance": "objection"},
    )
    assert refused.status_code == 400 and "sudah dicabut" in refused.text
    assert "PERWAL-2025-CFD" not in refused.text.split('id="policy-link"')[1]  # not offered
    unknown_stance = await post_form(
        client, f"/policies/reports/{code}/link", {"policy": "PERWAL-2024-PARKIR", "stance": "x"}
    )
    assert unknown_stance.status_code == 400
    unlinked = await post_form(client, f"/policies/reports/{code}/unlink")
    assert unlinked.status_code == 303
    assert (await post_form(client, f"/policies/reports/{code}/unlink")).status_code == 400
    assert (await post_form(client, f"/policies/reports/{code}/relink")).status_code == 404

    async def history() -> tuple[Any, list[tuple[str, Any]]]:
        report = await Report.select(Report.policy, Report.stance).where(
            Report.tracking_code == code
        )
        events = (
            await ReportEvent.select(ReportEvent.kind, ReportEvent.detail)
            .where(ReportEvent.kind.like("policy_%"))
            .output(load_json=True)
        )
        return report[0], [(event["kind"], event["detail"]) for event in events]

    report, events = in_app(client, history)
    assert report == {"policy": None, "stance": None}
    assert [kind for kind, _ in events] == ["policy_linked", "policy_unlinked"]
    assert events[0][1] == {
        "policy": "PERWAL-2024-PARKIR",
        "stance": "suggestion",
        "previous": None,
    }
    assert events[1][1] == {"policy": None, "stance": None, "previous": "PERWAL-2024-PARKIR"}


async def test_leadership_sees_pressure_open_reviews_and_decisions_in_the_evaluation(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "walikota", "leadership")
    make_staff(client, "kadishub", "head", "DISHUB")
    review_id = in_app(client, _review, code="PERWAL-2024-PARKIR", objectors=2, first_chat=4000)
    await sign_in(client, "walikota")
    page = await client.get("/leadership/policies")
    pressed = page.text.split('id="pressed"')[1]
    assert 'data-code="PERWAL-2024-PARKIR"' in pressed and "<strong>2</strong> / 2" in pressed
    assert f'data-review="{review_id}"' in page.text.split('id="open-reviews"')[1]
    assert "/leadership/policies" in (await client.get("/leadership")).text

    await post_form(client, "/logout")
    await sign_in(client, "kadishub")
    await post_form(
        client,
        f"/policies/reviews/{review_id}/decide",
        {
            "confirm": "1",
            "decision": "keep",
            "rationale": "Tarif masih sebanding dengan kota lain.",
        },
    )
    await post_form(client, "/logout")
    await sign_in(client, "walikota")
    page = await client.get("/leadership/policies")
    assert f'data-review="{review_id}"' in page.text.split('id="decisions"')[1]
    evaluation = await client.get("/leadership/evaluation")
    dishub = evaluation.text.split('data-line="DISHUB"')[1].split("</tr>")[0]
    assert re.search(r'data-metric="policy_decisions">1 <span class="muted">\(1 tepat', dishub)
    csv = (await client.get("/leadership/evaluation.csv")).content.decode("utf-8-sig").splitlines()
    columns = csv[0].split(",")
    dishub_row = next(line for line in csv if ",DISHUB," in line).split(",")
    assert dishub_row[columns.index("policy_decisions")] == "1"


def test_every_policy_decision_level_and_event_has_a_name() -> None:
    # That each name has its English is checked on the whole catalogue (tests/test_i18n.py).
    assert set(DECISIONS) <= DECISION_NAMES.keys()
    assert {"1", "2", "3"} <= LEVEL_NAMES.keys()
    assert {"policy_linked", "policy_unlinked"} <= EVENT_NAMES.keys()


async def test_bad_registry_input_is_answered_on_the_page(client: AsyncTestClient) -> None:
    make_staff(client, "admin", "admin")
    make_staff(client, "kadlh", "head", "DLH")
    await sign_in(client, "admin")
    path = "/policies/registry/PERWAL-2025-SAMPAH"
    form = {"title": "Jadwal angkut sampah", "summary": "Dua kali sehari.", "department": "DLH"}
    zero = await post_form(client, path, {**form, "review_threshold": "0"})
    assert zero.status_code == 400 and "bilangan bulat 2 sampai 100000" in zero.text
    saved = await post_form(
        client, path, {**form, "review_threshold": "40", "review_window_days": "14"}
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/policies?department=DLH"
    await post_form(client, "/logout")
    await sign_in(client, "kadlh")
    # A head edits the wording; the threshold they cannot move.
    page = await client.get("/policies")
    assert "Tinjauan dibuka bila 40 warga berbeda keberatan dalam 14 hari" in page.text
    done = await post_form(client, path, {**form, "title": "Jadwal angkut sampah baru"})
    assert done.status_code == 303
    token = await csrf_token(client)
    created = await client.post(
        "/policies/registry",
        data={"code": "se-2026-bank-sampah", "title": "Bank sampah RW", "summary": "Wajib.",
              "department": "DLH", "_csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip
    assert created.status_code == 303
    elsewhere = await post_form(
        client,
        "/policies/registry",
        {"code": "SE-2026-X", "title": "X", "summary": "Y", "department": "DISHUB"},
    )
    assert elsewhere.status_code == 403
