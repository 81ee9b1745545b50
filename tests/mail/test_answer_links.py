"""The mail saying a report is resolved carries one-click rating links and a "belum selesai"
link: opening one only shows a page (mail scanners open links), the button acts, once; a
used or foreign link is refused clearly. A real SMTP server, the web app, both engines."""

from __future__ import annotations

import re
from email.message import EmailMessage

from litestar.testing import AsyncTestClient

from core.citizens.mail import confirm_address
from db.tables import Report
from tests.helpers import perform
from tests.mail.conftest import PUBLIC_URL, Mailbox, deliver_in_app
from tests.mail.test_mail import link, plain
from tests.pages.sessions import in_app, post_form

ROAD = "Jalan berlubang besar di Jl. Soekarno Hatta depan Polinema, bahaya untuk motor"


async def resolved_mail(client: AsyncTestClient, mailbox: Mailbox, email: str) -> tuple[str, str]:
    """A web report by a confirmed address, resolved: its code and the resolved mail."""
    sent = await post_form(client, "/laporan", {"text": ROAD, "email": email})
    code = sent.headers["location"].removeprefix("/lacak/").removesuffix("?baru=1")
    page = await client.get(sent.headers["location"])
    assert "t.me/" not in page.text  # no bot configured: no Telegram offer
    deliver_in_app(client)
    (receipt,) = mailbox.to(email)
    assert "t.me/" not in plain(receipt)
    in_app(client, confirm_address, token=link(receipt, "konfirmasi"))
    for action in ("acknowledge", "resolve"):
        in_app(client, perform, action=action, code=code)
    deliver_in_app(client)
    resolved: EmailMessage = mailbox.to(email)[-1]
    assert "dinyatakan selesai" in plain(resolved)
    return code, plain(resolved)


def answer_paths(text: str, code: str) -> tuple[dict[int, str], str]:
    ratings = {
        int(n): path
        for path, n in re.findall(rf"{PUBLIC_URL}(/lacak/{code}/nilai/\S+\?nilai=(\d))", text)
    }
    reopen = re.search(rf"{PUBLIC_URL}(/lacak/{code}/belum-selesai/\S+)", text)
    assert reopen, text
    return ratings, reopen.group(1)


def report_row(client: AsyncTestClient, code: str) -> dict[str, object]:
    query = Report.select(Report.status, Report.rating).where(Report.tracking_code == code)
    row: dict[str, object] = in_app(client, query.first().run)
    return row


async def test_a_rating_link_shows_a_page_and_rates_once(
    mail_client: AsyncTestClient, mailbox: Mailbox
) -> None:
    code, text = await resolved_mail(mail_client, mailbox, "siti@example.id")
    ratings, _ = answer_paths(text, code)
    assert sorted(ratings) == [1, 2, 3, 4, 5]

    page = await mail_client.get(ratings[4])  # as a mail scanner would: nothing changes
    assert page.status_code == 200
    assert '<option value="4" selected>' in page.text
    assert report_row(mail_client, code) == {"status": "resolved", "rating": None}

    done = await post_form(mail_client, ratings[4].split("?")[0], {"rating": "4"})
    assert done.status_code == 200 and 'id="answer-done"' in done.text
    assert report_row(mail_client, code) == {"status": "closed", "rating": 4}

    # Every link of the mail now says so instead of rating again.
    again = await mail_client.get(ratings[1])
    assert "sudah dinilai 4/5" in again.text and "<form" not in again.text
    refused = await post_form(mail_client, ratings[1].split("?")[0], {"rating": "1"})
    assert refused.status_code == 404 and "tidak berlaku lagi" in refused.text
    assert "sudah dinilai 4/5" in refused.text
    assert report_row(mail_client, code) == {"status": "closed", "rating": 4}


async def test_the_not_done_link_asks_the_reason_and_a_foreign_link_is_refused(
    mail_client: AsyncTestClient, mailbox: Mailbox
) -> None:
    code, text = await resolved_mail(mail_client, mailbox, "siti@example.id")
    other_code, other_text = await resolved_mail(mail_client, mailbox, "budi@example.id")
    ratings, reopen = answer_paths(text, code)
    _, other_reopen = answer_paths(other_text, other_code)

    # Budi's link with Siti's report: refused, and nothing changes.
    foreign = other_reopen.replace(other_code, code)
    assert (await mail_client.get(foreign)).status_code == 404
    refused = await post_form(mail_client, foreign, {"reason": "Masih berlubang di tengah"})
    assert refused.status_code == 404 and "tidak berlaku lagi" in refused.text
    assert report_row(mail_client, code)["status"] == "resolved"

    page = await mail_client.get(reopen)
    assert page.status_code == 200 and 'name="reason"' in page.text
    # The reopen rule needs a reason: a too short one is refused and the link still works.
    short = await post_form(mail_client, reopen, {"reason": "x"})
    assert short.status_code == 400 and 'id="answer-error"' in short.text
    done = await post_form(mail_client, reopen, {"reason": "Masih berlubang di tengah"})
    assert done.status_code == 200 and 'id="answer-done"' in done.text
    assert report_row(mail_client, code) == {"status": "in_progress", "rating": None}
    # The rating links of the same mail were the same one-time link: used up.
    used = await post_form(mail_client, ratings[5].split("?")[0], {"rating": "5"})
    assert used.status_code == 404
    assert report_row(mail_client, other_code)["status"] == "resolved"
