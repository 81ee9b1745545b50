"""One case, many citizens: each citizen whose report was merged into a case hears that it
joined the case (with the case's code), then each of the case's updates once, by verified
mail through the scheduler's delivery, and may rate the case from its mail. A real SMTP
server, the web app, both engines."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from core.citizens.mail import confirm_address
from core.reports import merging
from tests.helpers import ADMIN, perform
from tests.mail.conftest import Mailbox, deliver_in_app
from tests.mail.test_answer_links import answer_paths, report_row
from tests.mail.test_mail import link, plain
from tests.pages.sessions import in_app, post_form

TEXTS = (
    "Jalan berlubang besar di Jl. Soekarno Hatta depan Polinema, bahaya untuk motor",
    "Lubang besar di jalan Soekarno Hatta dekat Polinema, motor sering jatuh",
    "Jalan Soekarno Hatta depan kampus Polinema berlubang dalam, tolong ditambal",
)
EMAILS = ("satu@example.id", "dua@example.id", "tiga@example.id")


async def test_every_citizen_of_a_case_is_told_once(
    mail_client: AsyncTestClient, mailbox: Mailbox
) -> None:
    codes = []
    for text, email in zip(TEXTS, EMAILS, strict=True):
        sent = await post_form(mail_client, "/laporan", {"text": text, "email": email})
        codes.append(sent.headers["location"].removeprefix("/lacak/").removesuffix("?baru=1"))
    deliver_in_app(mail_client)
    for email in EMAILS:
        (receipt,) = mailbox.to(email)
        in_app(mail_client, confirm_address, token=link(receipt, "konfirmasi"))
    case = codes[2]
    for code in codes[:2]:
        in_app(mail_client, merging.merge, tracking_code=code, into=case, actor=ADMIN)
    deliver_in_app(mail_client)
    for email, code in zip(EMAILS[:2], codes[:2], strict=True):
        told = plain(mailbox.to(email)[-1])
        assert f"Laporan {code} sama dengan laporan {case}" in told

    for action in ("acknowledge", "resolve"):
        in_app(mail_client, perform, action=action, code=case)
    deliver_in_app(mail_client)
    deliver_in_app(mail_client)  # a second round sends nothing again
    for email in EMAILS:
        resolved = [m for m in mailbox.to(email) if "dinyatakan selesai" in plain(m)]
        assert len(resolved) == 1, email
        assert f"Laporan {case} dinyatakan selesai" in plain(resolved[0])
        started = [m for m in mailbox.to(email) if "sedang ditangani" in plain(m)]
        assert len(started) == 1, email

    # A follower rates the case from their own mail.
    follower_mail = next(m for m in mailbox.to(EMAILS[0]) if "dinyatakan selesai" in plain(m))
    ratings, _ = answer_paths(plain(follower_mail), case)
    done = await post_form(mail_client, ratings[5].split("?")[0], {"rating": "5"})
    assert done.status_code == 200 and 'id="answer-done"' in done.text
    assert report_row(mail_client, case) == {"status": "closed", "rating": 5}
