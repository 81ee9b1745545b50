"""The limits on new reports, for every citizen however they reach the city (a Telegram
account, or a web, API or Open311 contact: core/citizens/contacts.py): a blocked citizen sends none,
and nobody sends more than anyone with real problems could need."""

from __future__ import annotations

from datetime import timedelta

from core import clock
from core.errors import Forbidden
from db.tables import Citizen
from i18n import N_, Text

# A citizen with a real problem rarely has more than a few in an hour; more is a flood.
REPORTS_PER_HOUR = 5
REPORTS_PER_DAY = 20


# Whether a citizen is blocked and how many reports they sent in the last day and hour, in one
# round trip: the bot asks before each report is begun and again when it is sent.
_STANDING = (
    "SELECT c.blocked,"
    " (SELECT count(*) FROM report AS r WHERE r.citizen = c.id AND r.created_at > {}) AS day,"
    " (SELECT count(*) FROM report AS r WHERE r.citizen = c.id AND r.created_at > {}) AS hour"
    " FROM citizen AS c WHERE c.id = {}"
)


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
    now = clock.now()
    rows = await Citizen.raw(
        _STANDING, now - timedelta(days=1), now - timedelta(hours=1), citizen_id
    )
    if not rows or rows[0]["blocked"]:
        raise CitizenBlocked()
    if rows[0]["day"] >= REPORTS_PER_DAY:
        raise ReportLimitReached(per="day")
    if rows[0]["hour"] >= REPORTS_PER_HOUR:
        raise ReportLimitReached(per="hour")
