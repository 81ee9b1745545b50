"""A citizen who reported without Telegram confirms, rates or reopens their report.

The bot knows its citizens by their chat; a web page or an API client knows nothing of the
sender. So a report sent through them gets a follow-up key, given once with the tracking
code (only its hash is kept). The tracking code alone is public enough to be shared; the
key is what proves the sender, and it is checked before the citizen's transition runs.
"""

from __future__ import annotations

import hmac

from core.errors import Forbidden
from core.readable import compact
from core.reports import lifecycle
from core.reports.models import ReportRecord
from core.reports.tracking import normalize_code, report_not_found
from core.shown_once import digest, readable
from core.staff.actors import Actor, ActorKind
from db.tables import Report
from i18n import N_

KEY_LENGTH = 10  # 23**10 ≈ 41 trillion keys
KEYED_CHANNELS = frozenset({"web", "api"})


def new_key() -> tuple[str, str]:
    """A key to give the sender, and the hash to store."""
    key = readable(KEY_LENGTH)
    return key, digest(key)


async def _sender(tracking_code: str, key: str) -> Actor:
    """The report's sender as an actor, if `key` is the report's follow-up key."""
    code = normalize_code(tracking_code)
    row = (
        await Report.select(Report.citizen, Report.follow_up_key)
        .where(Report.tracking_code == code)
        .first()
        if code
        else None
    )
    if row is None:
        raise report_not_found(tracking_code)
    stored = row["follow_up_key"]
    if not stored or not hmac.compare_digest(stored, digest(compact(key))):
        raise Forbidden(
            N_(
                "Kunci laporan tidak cocok. Kunci diberikan sekali, bersama kode pelacakan, saat "
                "laporan dikirim."
            ),
            field="key",
        )
    return Actor(kind=ActorKind.CITIZEN, citizen_id=row["citizen"])


async def confirm(*, tracking_code: str, key: str, rating: int | None) -> ReportRecord:
    """The sender says the report is resolved, optionally rating the answer 1–5."""
    actor = await _sender(tracking_code, key)
    return await lifecycle.close(tracking_code=tracking_code, actor=actor, rating=rating)


async def reopen(*, tracking_code: str, key: str, reason: str) -> ReportRecord:
    """The sender says it is not fixed."""
    actor = await _sender(tracking_code, key)
    return await lifecycle.reopen(tracking_code=tracking_code, reason=reason, actor=actor)
