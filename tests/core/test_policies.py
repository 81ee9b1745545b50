"""Suggesting the city policy a report is about."""

from __future__ import annotations

from core.policies.matching import suggest_policy
from db.tables import Policy

CASES = [
    ("Tarif parkir di Kayutangan sekarang Rp5.000 untuk mobil, mahal sekali", "PERWAL-2024-PARKIR"),
    (
        "PKL berjualan di trotoar Kayutangan, pejalan kaki terpaksa turun ke jalan",
        "PERWAL-2023-PKL",
    ),
    (
        "Anak saya tidak diterima SMP negeri padahal rumah dekat, zonasi tidak adil",
        "SE-2025-ZONASI",
    ),
    ("Car free day di Ijen bikin macet jalan sekitar setiap Minggu", "PERWAL-2025-CFD"),
    ("Lampu jalan di Jl. Kawi mati sejak tiga hari", None),
    ("Jalan berlubang besar di Jl. Soekarno Hatta depan Polinema", None),
    ("Rumah saya kebanjiran air setinggi lutut", None),
    # Ordinary complaints sharing a place or a topic with a policy are not about it...
    ("Trotoar di depan Pasar Besar rusak parah dan berlubang", None),
    ("Sampah menumpuk di TPS Jl. Bandung sudah seminggu tidak diangkut", None),
    # ...unless they say they are, or name the policy.
    ("Kebijakan jadwal sampah ini membuat TPS Jl. Bandung menumpuk", "PERWAL-2025-SAMPAH"),
    ("Saya keberatan dengan se-2025-pasar", "SE-2025-PASAR"),
]


async def test_suggests_the_policy_a_report_is_about_and_nothing_otherwise(db: str) -> None:
    for text, code in CASES:
        suggestion = await suggest_policy(text)
        assert (suggestion.code if suggestion else None) == code, text


async def test_a_revoked_policy_is_never_suggested(db: str) -> None:
    await Policy.update({Policy.status: "revoked"}).where(Policy.code == "PERWAL-2024-PARKIR")
    assert await suggest_policy(CASES[0][0]) is None
