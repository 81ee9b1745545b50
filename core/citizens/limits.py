"""The limits on new reports, for every citizen however they reach the city (a Telegram
account, or a web, API or Open311 contact: core/citizens/contacts.py): a blocked citizen sends none,
and nobody sends more than anyone with real problems could need."""

from __future__ import annotations

from datetime import timedelta

from core import clock
from core.errors import Forbidden
from db.tables import Citizen, Report
from i18n import N_, Text

# A citizen with a real problem rarely has more than a few in an hour; more is a flood.
REPORTS_PER_HOUR = 5
REPORTS_PER_DAY = 20


class CitizenBlocked(Forbidden):
    def __init__(self) -> None:
        super().__init__(
            N_(
                "Maaf, akun Anda tidak dapat mengirim laporan baru. Hubungi Diskominfo Kota "
                "Malang bila menurut Anda ini keliru."
            )
        )


class ReportLimitReached(Forbidden):
    def __init__(self, *, per: str) -> None:
        super().__init__(
            N_(
                "Anda sudah mengirim %(limit)s laporan dalam %(period)s terakhir. "
                "Silakan coba lagi nanti."
            ),
            limit=REPORTS_PER_HOUR if per == "hour" else REPORTS_PER_DAY,
            period=Text(N_("satu jam") if per == "hour" else N_("sehari")),
        )


async def ensure_may_report(*, citizen_id: int) -> None:
    """Refuse a blocked citizen, or one who has just sent more reports than anyone could need."""
    citizen = await Citizen.select(Citizen.blocked).where(Citizen.id == citizen_id).first()
    if citizen is None or citizen["blocked"]:
        raise CitizenBlocked()
    now = clock.now()
    day = await Report.count().where(
        (Report.citizen == citizen_id) & (Report.created_at > now - timedelta(days=1))
    )
    if day >= REPORTS_PER_DAY:
        raise ReportLimitReached(per="day")
    hour = await Report.count().where(
        (Report.citizen == citizen_id) & (Report.created_at > now - timedelta(hours=1))
    )
    if hour >= REPORTS_PER_HOUR:
        raise ReportLimitReached(per="hour")
