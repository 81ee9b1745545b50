"""The outside authorities a report can be referred to: matters that are not the city's.

The classifier learns their codes (`classifier.REFERRALS`) and names one for a report that
belongs to it; the report then waits in triage with that suggestion, and a verifier refers it
with the contact given here. Each authority is defined once, here (proper names, not
translated); doors show `name` or `short_name` and the contact.
"""

from __future__ import annotations

import msgspec

from classifier import REFERRALS as CLASSIFIER_CODES
from classifier import referral_code
from core.errors import InvalidInput
from i18n import N_, gettext


class Referral(msgspec.Struct, frozen=True, kw_only=True):
    """An outside authority: who it is, what it handles, and how a citizen reaches it."""

    code: str  # the classifier's label and the value stored on a report
    name: str
    short_name: str
    phone: str | None  # None where no public number is known for sure: the website alone
    website: str

    @property
    def contact_line(self) -> str:
        """Name and contact in no language's words: the referral's note on the timeline,
        which the public page, Open311 and the webhooks show as it is."""
        return " · ".join(part for part in (self.name, self.phone, self.website) if part)


REFERRALS: tuple[Referral, ...] = (
    Referral(
        code="PLN",
        name="PT PLN (Persero) UP3 Malang",
        short_name="PLN",
        phone="123",
        website="https://www.pln.co.id",
    ),
    Referral(
        code="POLRESTA",
        name="Kepolisian Resor Kota Malang Kota",
        short_name="Polresta Malang Kota",
        phone="110",
        website="https://www.polri.go.id",
    ),
    Referral(
        code="JASA_MARGA",
        name="PT Jasamarga Pandaan Malang (Jasa Marga)",
        short_name="Jasa Marga",
        phone="14080",
        website="https://www.jasamarga.com",
    ),
    Referral(
        code="PEMPROV_JATIM",
        name="Pemerintah Provinsi Jawa Timur",
        short_name="Pemprov Jawa Timur",
        phone=None,
        website="https://jatimprov.go.id",
    ),
    Referral(
        code="BPJS",
        name="BPJS Kesehatan dan BPJS Ketenagakerjaan Cabang Malang",
        short_name="BPJS",
        phone="165 (Kesehatan), 175 (Ketenagakerjaan)",
        website="https://www.bpjs-kesehatan.go.id",
    ),
    Referral(
        code="KEMENAG",
        name="Kantor Kementerian Agama Kota Malang",
        short_name="Kementerian Agama",
        phone=None,
        website="https://kemenag.go.id",
    ),
    Referral(
        code="KAB_MALANG",
        name="Pemerintah Kabupaten Malang",
        short_name="Kabupaten Malang",
        phone=None,
        website="https://malangkab.go.id",
    ),
    Referral(
        code="KOTA_BATU",
        name="Pemerintah Kota Batu",
        short_name="Kota Batu",
        phone=None,
        website="https://batukota.go.id",
    ),
    Referral(
        code="BBPJN",
        name="Balai Besar Pelaksanaan Jalan Nasional Jawa Timur–Bali",
        short_name="Jalan nasional (BBPJN)",
        phone=None,
        website="https://binamarga.pu.go.id",
    ),
)

_BY_CODE = {referral.code: referral for referral in REFERRALS}
if set(_BY_CODE) != set(CLASSIFIER_CODES):  # pragma: no cover - a wrong edit fails at import
    raise RuntimeError("core.routing.referrals and classifier.REFERRALS name different codes")


def referral(code: str | None) -> Referral | None:
    """The authority of a code (or another spelling the corpus accepts), None if unknown."""
    found = referral_code(code) if code else None
    return _BY_CODE.get(found) if found else None


def known_referral(code: str | None) -> Referral:
    """The authority of a code a staff member picked; InvalidInput naming the codes if none."""
    found = referral(code)
    if found is None:
        raise InvalidInput(
            N_("Rujukan '%(code)s' tidak dikenal; pilih salah satu dari %(choices)s."),
            code=(code or "").strip()[:40],
            choices=", ".join(sorted(_BY_CODE)),
            field="to",
        )
    return found


def how_to_reach(found: Referral, language: str) -> str:
    """'PT PLN (Persero) UP3 Malang, telepon 123, https://www.pln.co.id' in `language`, for the
    messages that send a citizen there."""
    if found.phone is None:
        return f"{found.name}, {found.website}"
    return gettext(
        language,
        "%(name)s, telepon %(phone)s, %(website)s",
        name=found.name,
        phone=found.phone,
        website=found.website,
    )
