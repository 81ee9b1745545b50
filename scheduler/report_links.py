"""The one-time links a citizen's mail carries about their report, beside the tracking and
unsubscribe links of scheduler/mail.py: in the receipt, "Ikuti di Telegram" (bot/follow.py);
in the mail saying the report is resolved, a link per rating and a "belum selesai" link that
work with one click, without signing in (core/reports/follow_up.py). Each is a paragraph of
the mail: a text and the link under it."""

from __future__ import annotations

from bot.follow import follow_link
from config.settings import Settings
from core.citizens.models import MailCitizen
from core.messaging.models import Delivery
from core.reports.follow_up import new_answer_link
from core.reports.lifecycle import RATINGS
from core.reports.one_time_links import LINK_VALID
from i18n import gettext

Paragraph = tuple[str, str | None]


def answer_urls(public_url: str, code: str, token: str) -> tuple[dict[int, str], str]:
    """Where the rating links and the "not done" link of a resolved mail lead."""
    base = f"{public_url}/lacak/{code}"
    ratings = {n: f"{base}/nilai/{token}?nilai={n}" for n in RATINGS}
    return ratings, f"{base}/belum-selesai/{token}"


async def report_links(
    settings: Settings, *, delivery: Delivery, citizen: MailCitizen, receipt: bool
) -> list[Paragraph]:
    language = citizen.language
    code = delivery.payload.get("tracking_code", "")
    if delivery.report_id is None or not code:
        return []
    if receipt:
        link = await follow_link(settings, report_id=delivery.report_id, citizen_id=citizen.id)
        if link is None:
            return []
        text = gettext(
            language,
            "Ikuti di Telegram: kabar setiap perkembangan laporan ini dikirim ke Telegram Anda, "
            "dan Anda dapat menilainya di sana (tautan sekali pakai, berlaku %(days)s hari):",
            days=LINK_VALID.days,
        )
        return [(text, link)]
    if delivery.template != "resolved":
        return []
    token = await new_answer_link(report_id=delivery.report_id, citizen_id=citizen.id)
    ratings, not_done = answer_urls(settings.public_url, code, token)
    best = RATINGS[-1]
    return [
        (
            gettext(
                language,
                "Sudah beres? Beri nilai jawaban ini dengan satu klik (%(low)s buruk, %(high)s "
                "sangat baik; berlaku %(days)s hari):",
                low=RATINGS[0],
                high=best,
                days=LINK_VALID.days,
            ),
            None,
        ),
        *((f"{'★' * n} {n}/{best}", url) for n, url in sorted(ratings.items(), reverse=True)),
        (gettext(language, "Masalahnya belum selesai? Katakan di sini:"), not_done),
    ]
