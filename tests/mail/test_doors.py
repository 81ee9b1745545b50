"""Every door that takes an email address leads to a receipt mail, and the links in it work
without signing in: the web page, the JSON API and Open311, on both engines, the clock
pinned, a real SMTP server."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from core.integrations.api_keys import issue_api_key
from core.staff.actors import Actor
from db.tables import Citizen
from tests.mail.conftest import PUBLIC_URL, Mailbox, deliver_in_app
from tests.mail.test_mail import link, plain
from tests.pages.sessions import in_app, post_form

ROAD = "Jalan berlubang besar di Jl. Soekarno Hatta depan Polinema, bahaya untuk motor"


async def test_web_api_and_open311_reports_get_their_receipt(
    mail_client: AsyncTestClient, mailbox: Mailbox
) -> None:
    web = await post_form(mail_client, "/laporan", {"text": ROAD, "email": "web@example.id"})
    assert web.status_code == 303
    web_code = web.headers["location"].removeprefix("/lacak/").removesuffix("?baru=1")
    api = await mail_client.post(
        "/api/v1/reports", json={"text": ROAD, "reporter": {"email": "api@example.id"}}
    )
    assert api.status_code == 201, api.text
    _, key = in_app(mail_client, issue_api_key, name="SAMBAT", actor=Actor.system())
    open311 = await mail_client.post(
        "/open311/v2/requests.json",
        data={
            "api_key": key,
            "service_code": "DPUPRPKP",
            "description": ROAD,
            "lat": "-7.9666",
            "long": "112.6326",
            "email": "open311@example.id",
        },
    )
    assert open311.status_code == 200, open311.text
    deliver_in_app(mail_client)
    codes = {
        "web@example.id": web_code,
        "api@example.id": api.json()["tracking_code"],
        "open311@example.id": open311.json()[0]["service_request_id"],
    }
    for address, code in codes.items():
        (receipt,) = mailbox.to(address)
        assert code in receipt["Subject"]
        assert f"{PUBLIC_URL}/lacak/{code}" in plain(receipt)
        assert f"{PUBLIC_URL}/surel/konfirmasi/" in plain(receipt)


async def test_the_links_work_without_signing_in(
    mail_client: AsyncTestClient, mailbox: Mailbox
) -> None:
    await post_form(mail_client, "/laporan", {"text": ROAD, "email": "web@example.id"})
    deliver_in_app(mail_client)
    (receipt,) = mailbox.messages
    confirm = f"/surel/konfirmasi/{link(receipt, 'konfirmasi')}"
    page = await mail_client.get(confirm)
    # Opening the link (as a mail scanner does) confirms nothing: the citizen presses a button.
    assert page.status_code == 200 and "<form" in page.text
    assert in_app(mail_client, Citizen.select(Citizen.email_confirmed_at).first().run) == {
        "email_confirmed_at": None
    }
    done = await post_form(mail_client, confirm)
    assert done.status_code == 200 and 'id="mail-link-done"' in done.text
    assert in_app(mail_client, Citizen.select(Citizen.email_confirmed_at).first().run)[
        "email_confirmed_at"
    ]
    used = await post_form(mail_client, confirm)
    assert used.status_code == 404 and 'id="mail-link-error"' in used.text

    stop = f"/surel/berhenti/{link(receipt, 'berhenti')}"
    assert (await post_form(mail_client, stop)).status_code == 200
    assert in_app(mail_client, Citizen.select(Citizen.email_unsubscribed_at).first().run)[
        "email_unsubscribed_at"
    ]
    bogus = await post_form(mail_client, "/surel/berhenti/tidak-ada")
    assert bogus.status_code == 404
    assert "tidak berlaku lagi" in bogus.text
