"""Staff are told how the citizen will hear of their answer, never promised a notification
nobody can deliver: Telegram, a confirmed address, an unconfirmed one, or nobody."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from core import clock
from core.citizens.mail import confirm_address
from core.citizens.models import Reach
from core.reports.intake import Reporter
from core.reports.queue import staff_report
from db.tables import Citizen
from tests.helpers import FixedRouter, report_in
from tests.mail.conftest import Mailbox, deliver_in_app
from tests.mail.test_mail import link
from tests.pages.sessions import in_app, make_staff, sign_in


async def _reach(**submit: object) -> Reach:
    report = await report_in("triage", router=FixedRouter("DPUPRPKP"), **submit)
    return (await staff_report(report.tracking_code)).reached_by


async def test_each_way_of_reaching_the_citizen_is_named(db: str) -> None:
    (chat,) = await Citizen.insert(
        Citizen(channel="telegram", telegram_chat_id=900_001, created_at=clock.now())
    ).returning(Citizen.id)
    assert await _reach(channel="telegram", citizen_id=chat["id"]) == Reach.TELEGRAM
    assert await _reach(reporter=Reporter(email="a@example.id")) == Reach.EMAIL_UNCONFIRMED
    assert await _reach(reporter=Reporter(phone="081234567890")) == Reach.NOBODY
    assert await _reach() == Reach.NOBODY
    await Citizen.update({Citizen.email_confirmed_at: clock.now()}).where(
        Citizen.email == "a@example.id"
    )
    assert await _reach(reporter=Reporter(email="a@example.id")) == Reach.EMAIL
    await Citizen.update({Citizen.email_unsubscribed_at: clock.now()}).where(
        Citizen.email == "a@example.id"
    )
    assert await _reach(reporter=Reporter(email="a@example.id")) == Reach.NOBODY


async def test_the_officer_page_says_what_will_happen(
    mail_client: AsyncTestClient, mailbox: Mailbox
) -> None:
    make_staff(mail_client, "dina", "officer", "DPUPRPKP")
    report = in_app(
        mail_client,
        report_in,
        status="triage",
        router=FixedRouter("DPUPRPKP"),
        reporter=Reporter(email="siti@example.id"),
    )
    await sign_in(mail_client, "dina")
    page = await mail_client.get(f"/officer/reports/{report.tracking_code}")
    assert 'data-reach="email_unconfirmed"' in page.text
    assert "belum mengonfirmasinya" in page.text
    assert "Warga menerima pemberitahuan setiap perubahan" not in page.text
    api = await mail_client.get(f"/api/v1/staff/reports/{report.tracking_code}")
    assert api.json()["citizen_notified"] is False
    assert api.json()["citizen_reached_by"] == "email_unconfirmed"

    deliver_in_app(mail_client)
    (receipt,) = mailbox.messages
    in_app(mail_client, confirm_address, token=link(receipt, "konfirmasi"))
    page = await mail_client.get(f"/officer/reports/{report.tracking_code}")
    assert 'data-reach="email"' in page.text and "surel terkonfirmasi" in page.text
    api = await mail_client.get(f"/api/v1/staff/reports/{report.tracking_code}")
    assert api.json()["citizen_notified"] is True
