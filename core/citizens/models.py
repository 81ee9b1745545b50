"""The citizens package's records: a Telegram citizen, what the bot tells them before they
send, and their own reports as the bot lists them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import msgspec

from i18n import N_


class Reach(StrEnum):
    """How the citizen behind a report hears of its changes, as staff are told it."""

    TELEGRAM = "telegram"
    EMAIL = "email"  # a confirmed address, not unsubscribed
    EMAIL_UNCONFIRMED = "email_unconfirmed"  # receipts only, until the citizen confirms
    NOBODY = "nobody"  # no chat, no address (a phone number is for the department to call)


# What an officer reads on the report: whether the citizen hears of the answer, or must find
# it on the public page.
REACH_NAMES: dict[str, str] = {
    Reach.TELEGRAM: N_("Warga menerima pemberitahuan setiap perubahan lewat Telegram."),
    Reach.EMAIL: N_("Warga menerima pemberitahuan setiap perubahan lewat surel terkonfirmasi."),
    Reach.EMAIL_UNCONFIRMED: N_(
        "Warga meninggalkan surel tetapi belum mengonfirmasinya: ia tidak menerima kabar "
        "perubahan. Tulis jawaban yang jelas; warga membacanya di halaman lacak laporan."
    ),
    Reach.NOBODY: N_(
        "Warga tidak dapat dihubungi: ia tidak menerima kabar perubahan. Tulis jawaban yang "
        "jelas; warga membacanya di halaman lacak laporan."
    ),
}


class TelegramCitizen(msgspec.Struct, frozen=True, kw_only=True):
    """The citizen behind a private Telegram chat, as the bot's conversation carries them."""

    id: int
    language: str
    blocked: bool


class RoutingPreview(msgspec.Struct, frozen=True, kw_only=True):
    """Where a report will go, shown to the citizen before they send it."""

    department_code: str | None  # None: a verifier will route it
    department_name: str | None
    urgent: bool
    # The outside authority it likely belongs to (a code of core.routing.referrals), when the
    # classifier names one: the report then waits in triage for a verifier to confirm.
    refer_to: str | None = None


class OwnReport(msgspec.Struct, frozen=True, kw_only=True):
    """One of a citizen's latest reports, for their list in the bot."""

    tracking_code: str
    status: str
    text: str
    created_at: datetime
    due_at: datetime | None
    department_short_name: str | None


class OwnReportStatus(msgspec.Struct, frozen=True, kw_only=True):
    """A report the citizen sent, by its code: enough to check it may be reopened."""

    tracking_code: str
    status: str


class PlacedReport(msgspec.Struct, frozen=True, kw_only=True):
    """A report sent without a location, given one afterwards, and the kecamatan it lies in."""

    tracking_code: str
    kecamatan: str | None


class MailCitizen(msgspec.Struct, frozen=True, kw_only=True):
    """A citizen's email address and how they want it used, for the mail deliverer."""

    id: int
    email: str
    language: str
    confirmed: bool
    unsubscribed: bool
