"""A matter of an outside authority, by mail: the receipt says where it likely belongs and that
a verifier will confirm; the referral names the authority and its number in the citizen's
language."""

from __future__ import annotations

from core.citizens.mail import confirm_address
from core.reports.intake import Reporter
from core.reports.lifecycle import refer_to_authority
from core.routing.models import RoutingDecision
from db.tables import Citizen
from tests.helpers import ADMIN, report_in
from tests.mail.conftest import Mailbox, mail_settings
from tests.mail.test_mail import SITI, deliver, link, plain

BLACKOUT = "Listrik padam di seluruh RW 05 Sawojajar sejak subuh, kulkas warga mati semua"


class _PlnRouter:
    def decide(self, text: str) -> RoutingDecision:
        return RoutingDecision(department_code=None, confidence=0.93, urgent=False, refer_to="PLN")


async def test_the_citizen_hears_where_to_go_in_their_language(
    db: str, mailbox: Mailbox, pinned: None
) -> None:
    settings = mail_settings(db, mailbox)
    report = await report_in(
        "triage", channel="web", router=_PlnRouter(), reporter=Reporter(name="Siti", email=SITI)
    )
    await deliver(settings)
    (receipt,) = mailbox.to(SITI)
    text = plain(receipt)
    assert "tampaknya kewenangan PLN, bukan Pemerintah Kota Malang" in text
    assert "PT PLN (Persero) UP3 Malang, telepon 123, https://www.pln.co.id" in text
    assert "Verifikator akan memastikannya paling lambat" in text
    await confirm_address(token=link(receipt, "konfirmasi"))
    await Citizen.update({Citizen.language: "en"}).where(Citizen.email == SITI)

    await refer_to_authority(tracking_code=report.tracking_code, code="pln", actor=ADMIN)
    await deliver(settings)
    referred = mailbox.to(SITI)[-1]
    assert report.tracking_code in referred["Subject"]
    assert (
        f"Report {report.tracking_code} is outside the authority of the Malang city government "
        "and was referred to PLN. Please contact: PT PLN (Persero) UP3 Malang, phone 123, "
        "https://www.pln.co.id"
    ) in plain(referred)
